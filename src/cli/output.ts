import { dateLabel } from '../core/text/index.js';
import { articleLanguage, guessLang, helpRequest } from '../core/text/index.js';
import type { Answer, Article } from '../core/types.js';
import { periodNotice, type News } from '../engine/index.js';

/**
 * The JSON contract of `ask --json`: exactly these fields, in this order. `match` says what the
 * quotes are: `answer` (they say what is asked) or `related` (the closest passages, not an
 * answer); with `answered: false` there are none and `match` is absent.
 */
export function answerJson(a: Answer, conversation = false): object {
  return {
    question: a.question,
    answered: a.answered,
    ...(a.match === 'nothing' ? {} : { match: a.match }),
    // In a conversation, the question as resolved: a follow-up's own words with the previous question's topic.
    ...(conversation ? { understood: a.followUp?.understood ?? a.question } : {}),
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

const WORDS = {
  en: {
    languages: { fr: 'French', en: 'English' },
    nothing: (q: string) => `Nothing in the articles answers "${q}".`,
    otherLanguage: (langs: string) => ` The articles are in ${langs}: asking in that language, or with the names they use, may find more.`,
    closest: 'Closest articles:',
    published: 'published',
    dateline: 'dateline',
    undatedInPeriod: (label: string) => `(${label}: some quotes come from articles with no publication date, which may be of another time)`,
    noPublication: 'no publication date',
    states: 'the sentence states',
    related: 'The articles do not answer this. Closest passages (not an answer):',
    help: 'Ask a question about the articles, in French or English: I answer by quoting them, word for word, with their dates, or say that they do not answer. Ctrl+D quits.',
    examples: 'For example:',
    example: (title: string) => `What do the articles say about "${title}"?`,
    newsHeader: (about: string) => `The newest articles${about ? ` (${about})` : ''}, newest first:`,
    newsNone: (about: string) => `No dated article${about ? ` (${about})` : ''}.`,
    newsOn: (topic: string) => `on "${topic}"`,
    about: (previous: string) => `(following up on: ${previous})`,
    replaced: (from: string, to: string) => `(the same question with ${to} instead of ${from})`,
  },
  fr: {
    languages: { fr: 'français', en: 'anglais' },
    nothing: (q: string) => `Rien dans les articles ne répond à « ${q} ».`,
    otherLanguage: (langs: string) => ` Les articles sont en ${langs} : poser la question dans cette langue, ou avec les noms qu’ils emploient, peut en trouver davantage.`,
    closest: 'Articles les plus proches :',
    published: 'publié le',
    dateline: 'en tête de l’article',
    undatedInPeriod: (label: string) => `(${label} : certaines citations viennent d’articles sans date de publication, qui peuvent être d’une autre période)`,
    noPublication: 'sans date de publication',
    states: 'la phrase indique',
    related: 'Les articles ne répondent pas à cette question. Passages les plus proches (pas une réponse) :',
    help: 'Posez une question sur les articles, en français ou en anglais : je réponds en les citant mot pour mot, avec leurs dates, ou je dis qu’ils ne répondent pas. Ctrl+D pour quitter.',
    examples: 'Par exemple :',
    example: (title: string) => `Que disent les articles sur « ${title} » ?`,
    newsHeader: (about: string) => `Les articles les plus récents${about ? ` (${about})` : ''}, du plus récent au plus ancien :`,
    newsNone: (about: string) => `Aucun article daté${about ? ` (${about})` : ''}.`,
    newsOn: (topic: string) => `sur « ${topic} »`,
    about: (previous: string) => `(suite de : ${previous})`,
    replaced: (from: string, to: string) => `(la même question, avec ${to} au lieu de ${from})`,
  },
} as const;

/** A readable answer for a terminal, in the question's language (quotes are never translated). */
export function answerText(a: Answer): string {
  const lang = guessLang(a.question);
  const w = WORDS[lang];
  // A period asked, and quotes from articles with no date: nothing says they are of that period.
  const undated = a.answered && a.period && a.results.some((r) => r.published === null) ? `${w.undatedInPeriod(a.period.label)}\n` : '';
  const understood = a.followUp ? `${a.followUp.replaced ? w.replaced(a.followUp.replaced.from, a.followUp.replaced.to) : w.about(a.followUp.about)}\n` : '';
  return understood + undated + answerBody(a, lang);
}

function answerBody(a: Answer, lang: 'fr' | 'en'): string {
  const w = WORDS[lang];
  if (!a.answered) {
    if (a.period && a.outsideDates && (a.outsideDates.first || (a.outsideDates.undated ?? []).length > 0)) return periodNotice(lang, a.period.label, a.outsideDates);
    const pointers = a.pointers.length > 0 ? `\n${w.closest}\n${a.pointers.map((t) => `  - ${t}`).join('\n')}` : '';
    const languages = a.articleLanguages ? w.otherLanguage(a.articleLanguages.map((l) => w.languages[l]).join(', ')) : '';
    return `${w.nothing(a.question)}${languages}${pointers}`;
  }
  const quotes = a.results
    .map((r, i) => {
      const link = r.link ? `\n   ${r.link}` : '';
      return `${i + 1}. « ${r.quote} »\n   — ${r.title} · ${dates(r, lang)} · ${r.source}${link}`;
    })
    .join('\n\n');
  // Never styled as an answer: a heading says first that these quotes do not answer.
  return a.match === 'related' ? `${w.related}\n\n${quotes}` : quotes;
}

/** "What's new" for a terminal: each article's title, date, file and its opening sentence verbatim. */
export function newsText(typed: string, news: News): string {
  const lang = guessLang(typed);
  const w = WORDS[lang];
  const about = [news.topic ? w.newsOn(news.topic) : null, news.period?.label ?? null].filter(Boolean).join(' ');
  if (news.items.length === 0) return w.newsNone(about);
  const items = news.items.map(({ article, opening }, i) => `${i + 1}. ${article.title} · ${dateLabel(article, lang)} · ${article.file}\n   « ${opening} »${article.link ? `\n   ${article.link}` : ''}`);
  return [w.newsHeader(about), '', ...items].join('\n');
}

/** An extractive summary for a terminal: the article, then its chosen sentences verbatim, in its order. */
export function summaryText(summary: { article: Article; sentences: readonly string[] }): string {
  const { article, sentences } = summary;
  const lang = articleLanguage(article);
  return [`${article.title} · ${dateLabel(article, lang)} · ${article.file}${article.link ? ` · ${article.link}` : ''}`, '', ...sentences.map((s, i) => `${i + 1}. « ${s} »`)].join('\n');
}

/** What the terminal chat can do, in the language of what was typed, with three example questions from the articles' titles. */
export function helpText(typed: string, titles: readonly string[]): string {
  const w = WORDS[helpRequest(typed)?.lang ?? guessLang(typed)];
  const examples = titles.slice(0, 3).map((t) => `  - ${w.example(t)}`);
  return [w.help, ...(examples.length ? [w.examples, ...examples] : [])].join('\n');
}

/** The publication date, and apart from it a date the quote states; the one date of an unannotated quote. */
function dates(r: Answer['results'][number], lang: 'fr' | 'en'): string {
  const w = WORDS[lang];
  if (r.published === undefined && r.stated === undefined) return dateLabel(r, lang);
  const published = r.published ? `${w.published} ${dateLabel(r.published, lang)}` : r.dateline ? `${w.noPublication} (${w.dateline} « ${r.dateline} »)` : w.noPublication;
  const stated = r.stated && r.stated.date !== r.published?.date ? ` · ${w.states} ${dateLabel(r.stated, lang)}` : '';
  return `${published}${stated}`;
}

/** "5 files, 12 articles (7 related-article blurbs)": what a newcomer can check against seeds/. */
export function corpusCounts(articles: readonly { file: string; kind: string }[]): string {
  const files = new Set(articles.map((a) => a.file)).size;
  const related = articles.filter((a) => a.kind === 'related').length;
  return `${files} ${files === 1 ? 'file' : 'files'}, ${articles.length} ${articles.length === 1 ? 'article' : 'articles'}${related > 0 ? ` (${related} related-article ${related === 1 ? 'blurb' : 'blurbs'})` : ''}`;
}
