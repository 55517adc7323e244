/** The answer stage: evidence, quote choice and abstention, with the one tuning object. */
export { type AnswerOptions, answerQuestion } from './answer.js';
export { namesIn } from './focus.js';
export { coverageOf, summarize, summarySize } from './summary.js';
export { denseCalibration, TUNING, type CoverageCredit, type DenseCalibration, type EvidenceWeights, type Tuning } from './tuning.js';
