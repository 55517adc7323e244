import type { Lang } from './date-label.js';
import { ENGLISH_HINT_WORDS, FRENCH_HINT_WORDS } from '../lang/index.js';
import type { Article } from '../types.js';

const hints = (words: readonly string[]): RegExp => new RegExp(`\\b(?:${words.join('|')})\\b`, 'giu');
const FRENCH_HINTS = hints(FRENCH_HINT_WORDS);
const ENGLISH_HINTS = hints(ENGLISH_HINT_WORDS);

/** French or English, from the text's function words (enough for a question or an article; ties go to French). */
export function guessLang(text: string): Lang {
  // Words with French accents count too: a terse question ("cybersécurité, quand ?") has few function words.
  const fr = (text.match(FRENCH_HINTS)?.length ?? 0) + (text.match(/\p{L}*[éèêàçùûôœ]\p{L}*/gu)?.length ?? 0);
  const en = text.match(ENGLISH_HINTS)?.length ?? 0;
  return en > fr ? 'en' : 'fr';
}

/** The language an article is written in, from all its sentences: what the stores record and the corpus's languages list. */
export function articleLanguage(article: Pick<Article, 'paragraphs'>): Lang {
  return guessLang(article.paragraphs.flat().join(' '));
}
