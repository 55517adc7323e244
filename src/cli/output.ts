import { dateLabel } from '../core/date-label.js';
import type { Answer } from '../core/types.js';

/** The JSON contract of `ask --json`: exactly these fields, in this order. */
export function answerJson(a: Answer): object {
  return {
    question: a.question,
    answered: a.answered,
    mode: a.mode,
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

/** A readable answer for a terminal. */
export function answerText(a: Answer): string {
  if (!a.answered) {
    const pointers = a.pointers.length > 0 ? `\nClosest articles:\n${a.pointers.map((t) => `  - ${t}`).join('\n')}` : '';
    return `The articles don't say. Nothing in the corpus answers "${a.question}".${pointers}`;
  }
  return a.results
    .map((r, i) => {
      const link = r.link ? `\n   ${r.link}` : '';
      return `${i + 1}. « ${r.quote} »\n   — ${r.title} · ${dateLabel(r)} · ${r.source}${link}`;
    })
    .join('\n\n');
}
