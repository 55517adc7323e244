/** The text stage: article files → articles, sentences and passages; question cleaning; French analysis. `ingest.ts` stays out of this face: it is imported when a file has to be read (its YAML parser costs start-up time). */
export { askedFor, type AnswerKind, type AskedFor, showsKind, statedQuantities } from './answer-type.js';
export { indexCorpus, type LoadedCorpus } from './corpus.js';
export { dateLabel, type Lang } from './date-label.js';
export { findStatedDate, normaliseIsoDate } from './dates.js';
export { type FollowUp, resolveFollowUp } from './follow-up.js';
export { GLUE_WORDS, isStopWord, splitGlued, stemAccentFree, termsOf, type Vocabulary, words } from './french.js';
export { articleLanguage, guessLang } from './language.js';
export { isNoiseParagraph } from './noise.js';
export { buildPassages } from './passages.js';
export { overlaps, parseTimeIntent, type Period, statedDates, type TimeIntent } from './periods.js';
export { analyzeQuestion, type QuestionAnalysis } from './question-analysis.js';
export { cleanQuestion, type ConversationContext, helpRequest, isHelpRequest, newsRequest, summaryRequest, MAX_QUESTION_CHARS, parseQuestion, type Question, QuestionError, removeInvisible } from './question.js';
export { splitSentences } from './sentences.js';
