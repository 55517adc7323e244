import type { Lang } from '../core/date-label.js';

/** Everything the bot says in its own words, in French and English. Quotes are never translated. */
export const TEXT = {
  en: {
    header: 'From the articles:',
    notAnswered: 'Nothing in the articles answers this question.',
    otherLanguage: (langs: string) => `The articles are in ${langs}: asking in that language, or with the names they use, may find more.`,
    languageNames: { fr: 'French', en: 'English' },
    closest: 'Closest articles:',
    context: (n: number) => `Context ${n}`,
    date: 'Date',
    source: 'Source',
    empty: 'Ask me a question about the articles, for example: “When was the Hanoi Convention signed?”',
    tooLong: (limit: number) => `That question is too long: ${limit} characters at most.`,
    cooldown: (s: number) => `You're asking quickly: try again in ${s} s.`,
    failed: 'Something went wrong while answering. Please try again in a moment.',
    stopping: 'The bot is restarting: please ask again in a minute.',
    unknownArticle: 'No article matches that title. Pick one from the list.',
    passageGone: 'That passage is no longer in the index (the articles were updated). Ask again.',
    excerpt: 'Excerpt',
    aboutTitle: 'About this bot',
    articles: 'Articles',
    passages: 'Passages',
    dateRange: 'Dates',
    model: 'Embedding model',
    mode: 'Retrieval',
    built: 'Index built',
    none: 'none',
    lexicalOnly: 'lexical only (no embedding model loaded)',
    reindexBusy: 'A re-index is already running; this one was not started.',
    reindexDone: (summary: string) => `Re-index done: ${summary}.`,
  },
  fr: {
    header: 'D’après les articles :',
    notAnswered: 'Rien dans les articles ne répond à cette question.',
    otherLanguage: (langs: string) => `Les articles sont en ${langs} : poser la question dans cette langue, ou avec les noms qu’ils emploient, peut en trouver davantage.`,
    languageNames: { fr: 'français', en: 'anglais' },
    closest: 'Articles les plus proches :',
    context: (n: number) => `Contexte ${n}`,
    date: 'Date',
    source: 'Source',
    empty: 'Posez-moi une question sur les articles, par exemple : « Quand la Convention de Hanoï a-t-elle été signée ? »',
    tooLong: (limit: number) => `Question trop longue : ${limit} caractères au plus.`,
    cooldown: (s: number) => `Vous posez vos questions très vite : réessayez dans ${s} s.`,
    failed: 'Une erreur est survenue pendant la réponse. Réessayez dans un instant.',
    stopping: 'Le bot redémarre : reposez votre question dans une minute.',
    unknownArticle: 'Aucun article ne porte ce titre. Choisissez-en un dans la liste.',
    passageGone: 'Ce passage n’est plus dans l’index (les articles ont été mis à jour). Reposez la question.',
    excerpt: 'Extrait',
    aboutTitle: 'À propos de ce bot',
    articles: 'Articles',
    passages: 'Passages',
    dateRange: 'Dates',
    model: 'Modèle d’embeddings',
    mode: 'Recherche',
    built: 'Index construit',
    none: 'aucun',
    lexicalOnly: 'lexicale seulement (aucun modèle d’embeddings chargé)',
    reindexBusy: 'Une réindexation est déjà en cours ; celle-ci n’a pas été lancée.',
    reindexDone: (summary: string) => `Réindexation terminée : ${summary}.`,
  },
} as const;

export type Strings = (typeof TEXT)[Lang];

/** Discord locales are like `fr`, `en-US`, `en-GB`: French for French, English otherwise. */
export function langOfLocale(locale: string | null | undefined): Lang {
  return locale?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** A message has no locale: its language is guessed from the question (see core/language). */
export { guessLang } from '../core/language.js';
