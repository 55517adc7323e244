import { TUNING, type DenseCalibration } from '../../src/core/answer/tuning.js';
import type { Engine } from '../../src/engine/index.js';
import { asRun, score, type EvalQuestion, type EvalRun, type Scores } from './metrics.js';

export interface SweepRow {
  mode: 'hybrid' | 'dense';
  lexicalWeight: number;
  threshold: number;
  fr: Scores | undefined;
  en: Scores | undefined;
}

const LEXICAL_WEIGHTS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
const THRESHOLDS = Array.from({ length: 15 }, (_, i) => Math.round((0.1 + i * 0.05) * 100) / 100);

/**
 * Answers every question under each calibration of a grid (hybrid: lexical weight × threshold;
 * dense: threshold), keeping the model's cosine anchors. Each grid point applies to French and
 * English questions alike; as the articles are French, the French columns choose the
 * same-language weights and the English columns the other-language ones. Question vectors are
 * cached by the engine, so a point costs only retrieval and sentence choice.
 */
export async function sweepCalibration(engine: Engine, questions: readonly EvalQuestion[], base: DenseCalibration): Promise<SweepRow[]> {
  const rows: SweepRow[] = [];
  const family = engine.embedderFamily ?? '';
  const runAll = async (mode: 'hybrid' | 'dense', calibration: DenseCalibration, lexicalWeight: number, threshold: number): Promise<SweepRow> => {
    const runs: EvalRun[] = [];
    for (const q of questions) {
      const a = await engine.ask(q.q, { mode, tuning: { ...TUNING, calibrations: { ...TUNING.calibrations, [family]: calibration } } });
      runs.push(asRun(a, 0));
    }
    const subset = (lang: string) => {
      const idx = questions.flatMap((q, i) => (q.lang === lang ? [i] : []));
      return idx.length ? score(idx.map((i) => questions[i]!), idx.map((i) => runs[i]!)) : undefined;
    };
    return { mode, lexicalWeight, threshold, fr: subset('fr'), en: subset('en') };
  };
  for (const lexicalWeight of LEXICAL_WEIGHTS) {
    for (const minEvidence of THRESHOLDS) {
      const weights = { ...base.sameLanguage, lexicalWeight, minEvidence };
      rows.push(await runAll('hybrid', { ...base, sameLanguage: weights, otherLanguage: weights }, lexicalWeight, minEvidence));
    }
  }
  for (const minDenseEvidence of THRESHOLDS) rows.push(await runAll('dense', { ...base, minDenseEvidence }, 0, minDenseEvidence));
  return rows;
}

/** The sweep as a table, one row per grid point. */
export function sweepTable(rows: readonly SweepRow[]): string {
  const pct = (x: number | undefined) => (x === undefined ? '-' : (x * 100).toFixed(1)).padStart(5);
  const header = 'mode    λlex   thr |  fr@1  fr@3  fr.abst  fr.false |  en@1  en@3  en.abst  en.false';
  const lines = rows.map((r) =>
    [
      r.mode.padEnd(6),
      r.mode === 'dense' ? '   -' : r.lexicalWeight.toFixed(1).padStart(4),
      r.threshold.toFixed(2).padStart(5),
      '|',
      pct(r.fr?.hitAt1),
      pct(r.fr?.hitAt3),
      pct(r.fr?.abstentionRecall).padStart(7),
      pct(r.fr?.falseAbstentionRate).padStart(8),
      '|',
      pct(r.en?.hitAt1),
      pct(r.en?.hitAt3),
      pct(r.en?.abstentionRecall).padStart(7),
      pct(r.en?.falseAbstentionRate).padStart(8),
    ].join('  '),
  );
  return [header, ...lines].join('\n');
}
