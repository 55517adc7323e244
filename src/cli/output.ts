import { dateLabel } from '../core/date-label.js';
import type { Answer } from '../core/types.js';

/** The JSON contract of `ask --json`: exactly these fields, in this order. */
export function answerJson(a: Answer): object {
  return {
    question: a.question,
    answered: a.answered,
    mode: a.mode,
    model: a.model,
    results: a.results.map((r) => ({
      quote: r.quote,
      source: r.source,
      title: r.title,
      date: r.date,
      dateText: r.dateText,
      link: r.link,
      score: r.score,
      passageId: r.passageId,
      position: r.position,
    })),
  };
}

const LANGUAGE_NAMES = { fr: 'French', en: 'English' } as const;

/** A readable answer for a terminal. */
export function answerText(a: Answer): string {
  if (!a.answered) {
    const pointers = a.pointers.length > 0 ? `\nClosest articles:\n${a.pointers.map((t) => `  - ${t}`).join('\n')}` : '';
    const languages = a.articleLanguages ? ` The articles are in ${a.articleLanguages.map((l) => LANGUAGE_NAMES[l]).join(', ')}: asking in that language, or with the names they use, may find more.` : '';
    return `Nothing in the articles answers "${a.question}".${languages}${pointers}`;
  }
  return a.results
    .map((r, i) => {
      const link = r.link ? `\n   ${r.link}` : '';
      return `${i + 1}. « ${r.quote} »\n   — ${r.title} · ${dateLabel(r)} · ${r.source}${link}`;
    })
    .join('\n\n');
}
