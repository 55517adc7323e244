/** How French sentences and questions begin, where that decides what to quote. Data only. */

/**
 * Openings of a sentence that leans on the one before for its subject ("Il a ajouté…", "Les deux
 * parties ont…"): quoted alone, it says nothing, so the sentence before is quoted with it.
 */
export const DANGLING_STARTS: readonly string[] = Object.freeze([
  'Il', 'Elle', 'Ils', 'Elles', 'Lui', 'Leur', 'Ce', 'Cet', 'Cette', 'Ces', 'Cela', 'Celui-ci', 'Celle-ci',
  'Les deux parties', 'Les deux ministres', 'Les deux pays', 'Les deux dirigeants',
  'Selon lui', 'Selon elle', 'Par conséquent', 'Car', 'Plus largement', 'Parallèlement', 'Dans ce contexte', 'Pour sa part',
]);

/** Subject pronouns, for a pronoun subject after a short opening phrase ("Dans son message, il a affirmé…"). */
export const SUBJECT_PRONOUNS: readonly string[] = Object.freeze(['il', 'elle', 'ils', 'elles']);

/** Words of a question that asks for a time ("quand", "what year"): the sentence stating a date is then the better quote. */
export const DATE_QUESTION_WORDS: readonly string[] = Object.freeze([
  'quand', 'date', 'when', 'what day', 'which day', 'what year', 'quel jour', 'quelle année', 'en quelle année', 'depuis quand',
]);
