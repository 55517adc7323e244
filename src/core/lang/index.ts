/**
 * French and English word data: months, stop words, question and time words, sentence starts,
 * and this news source's own quirks. Data, not code: the stages that use a list own how.
 */
export { ENGLISH_MONTH_ABBREVIATIONS, ENGLISH_MONTHS, FRENCH_MONTHS } from './months.js';
export { AGENCY_SIGN_OFFS } from './news-source.js';
export { FOLLOW_UP_OPENINGS, FOLLOW_UP_OTHER_WORDS, FOLLOW_UP_REFERRING_WORDS, HELP_REQUESTS, NAME_PARTICLES, NEWS_ALONE, PLACE_PREPOSITIONS, NEWS_OPENINGS, NEWS_TOPIC_WORDS, SUMMARY_OPENINGS, SUMMARY_TOPIC_WORDS } from './conversation.js';
export { ENGLISH_WORDS_KEPT, QUESTION_FRAME_WORDS, QUESTION_WORDS } from './stop-words.js';
export { DANGLING_STARTS, DATE_QUESTION_WORDS, SUBJECT_PRONOUNS } from './sentence-starts.js';
export { ENGLISH_HINT_WORDS, FRENCH_HINT_WORDS } from './language-hints.js';
export {
  ANSWER_KIND_PHRASES,
  type AnswerKind,
  CURRENCY_SIGNS,
  CURRENCY_WORDS,
  DURATION_UNITS,
  ENGLISH_COUNTED_NOUNS,
  LEADING_WORDS,
  NUMBER_WORDS,
  PERSON_ROLES,
  RELATIVE_TIME_WORDS,
} from './answer-types.js';
