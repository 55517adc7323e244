/**
 * What `npm run eval -- --save` last measured for the bot as deployed (hybrid with the real
 * model), by category of question: shown by `/about` so that people who rely on the quotes know
 * how often they answer, and how often the bot declines what the articles do not say.
 */
import { RESULTS } from './evaluation-results.js';

/** One category's figures: answerable ones by hit@3, unanswerable ones by how many were declined. */
export interface CategoryFigure {
  category: string;
  questions: number;
  /** Share with the expected quote among the first three (answerable categories), else null. */
  hitAt3: number | null;
  /** Share given related passages or nothing (unanswerable categories), else null. */
  declined: number | null;
}

export interface EvaluationSummary {
  /** When it was measured (ISO date). */
  measured: string;
  model: string | null;
  questions: number;
  categories: CategoryFigure[];
  /** Answerable questions wrongly declined. */
  falseDeclines: number;
}

export const EVALUATION: EvaluationSummary = RESULTS;
