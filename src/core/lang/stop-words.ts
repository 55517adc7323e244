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
