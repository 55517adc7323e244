/** The answer stage: evidence, quote choice and abstention, with the one tuning object. */
export { type AnswerOptions, answerQuestion } from './answer.js';
export { DEFAULTS, denseCalibration, type DenseCalibration } from './tuning.js';
