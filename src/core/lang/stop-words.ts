/** Words added to the stop-word lists (stopword's French and English). Data only. */

/**
 * Words that say how a question is asked, not what it is about: question words, auxiliaries,
 * verbs of saying, chat fillers. Added to Snowball's French list, which has only function words.
 */
export const QUESTION_WORDS: readonly string[] = Object.freeze([
  'quand', 'comment', 'pourquoi', 'quoi', 'quel', 'quelle', 'quels', 'quelles', 'combien', 'lequel', 'laquelle', 'lesquels', 'lesquelles', 'dont', 'est-ce', 'ce', 'ca', 'ça', 'cest',
  'va', 'vont', 'allait', 'aller', 'vais', 'fait', 'faire', 'font', 'peut', 'peuvent', 'pourrait', 'doit', 'devait', 'devaient', 'faut',
  'dit', 'dire', 'dis', 'disent', 'parle', 'parlé', 'parler', 'pense', 'pensé', 'penser', 'pensent', 'sait', 'savoir', 'explique', 'raconte', 'donne', 'donner',
  'pendant', 'toujours', 'déjà', 'deja', 'aussi', 'plus', 'très', 'tres', 'bien', 'si', 'y', 'il', 'ya', 'là', 'ici', 'oui', 'non', 'stp', 'svp', 'merci', 'moi', 'article', 'articles', 'texte', 'selon', 'après', 'apres', 'chose', 'cela', 'celui', 'celle',
]);

/** English function words that are also parts of names or French words in this corpus ("To Lam", "l'an"): not stop words. */
export const ENGLISH_WORDS_KEPT: readonly string[] = Object.freeze(['to', 'an', 'me', 'come', 'son']);

/**
 * Words that frame a question without saying what it asks about, beyond the stop words (which
 * the lexical index also drops): English question words and verbs of asking and saying, and
 * French set phrases ("a eu lieu"). The question analysis keeps them out of a question's focus.
 */
export const QUESTION_FRAME_WORDS: readonly string[] = Object.freeze([
  'when', 'what', 'which', 'who', 'whom', 'whose', 'where', 'why', 'how', 'does', 'did', 'do', 'done', 'will', 'would', 'could', 'should', 'can', 'may', 'might',
  'say', 'said', 'says', 'tell', 'told', 'talk', 'talked', 'speak', 'spoke', 'mention', 'mentioned', 'according', 'exactly', 'else', 'kind', 'kinds', 'sort', 'name', 'get', 'got', 'happen', 'happened', 'think', 'thought', 'know',
  'lieu', 'exactement', 'propos', 'apres', 'd', 'quoi', 'koi', 'kel', 'kelle', 'cb', 'qd', 'c', 'ki',
]);
