import type { Lang } from './date-label.js';
import type { Article } from '../types.js';

const FRENCH_HINTS = /\b(?:le|la|les|des|du|de|est|quand|qui|quel|quelle|que|quoi|pourquoi|comment|avec|pour|dans|une|un|et|sur|a-t-il|ont)\b/giu;
const ENGLISH_HINTS = /\b(?:the|is|are|was|were|when|who|what|which|why|how|with|for|in|on|did|does|and|of|a)\b/giu;

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
