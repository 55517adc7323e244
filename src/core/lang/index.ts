/**
 * French and English word data: months, stop words, question and time words, sentence starts,
 * and this news source's own quirks. Data, not code: the stages that use a list own how.
 */
export { ENGLISH_MONTH_ABBREVIATIONS, ENGLISH_MONTHS, FRENCH_MONTHS } from './months.js';
