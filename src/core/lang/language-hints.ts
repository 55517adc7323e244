/** Function words that tell French from English in a question or an article. Data only. */

export const FRENCH_HINT_WORDS: readonly string[] = Object.freeze([
  'le', 'la', 'les', 'des', 'du', 'de', 'est', 'quand', 'qui', 'quel', 'quelle', 'que', 'quoi', 'pourquoi', 'comment', 'avec', 'pour', 'dans', 'une', 'un', 'et', 'sur', 'a-t-il', 'ont',
]);

export const ENGLISH_HINT_WORDS: readonly string[] = Object.freeze([
  'the', 'is', 'are', 'was', 'were', 'when', 'who', 'what', 'which', 'why', 'how', 'with', 'for', 'in', 'on', 'did', 'does', 'and', 'of', 'a',
]);
