import type { Scores } from './metrics.js';

/**
 * The CI quality gate's floors on the bot as deployed (hybrid, with the imported
 * multilingual-e5-small), on test/eval/questions.jsonl. They hold what is measured today
 * (French hit@3 82.0%, English 70.3%, unanswerable abstained 31.0%, false abstentions 1.1%) so
 * that quality cannot slip back unnoticed. They are below the targets of the issue that asked for
 * the gate (95%, 90%, 85%): docs/evaluation.md ("Against the targets") says by how much and
 * why; raise them as the answers improve, never lower them to let a change through.
 */
export const GATE_FLOORS = Object.freeze({
  frenchHitAt3: 0.8,
  englishHitAt3: 0.68,
  unanswerableAbstained: 0.28,
  maxFalseAbstentions: 0.05,
  maxNonVerbatimQuotes: 0,
});

/** What misses a floor, one line each; empty when the gate passes. */
export function gateFailures(all: Scores, byLang: Record<string, Scores>): string[] {
  const f = GATE_FLOORS;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const failures: string[] = [];
  const fr = byLang.fr;
  const en = byLang.en;
  if (!fr || fr.hitAt3 < f.frenchHitAt3) failures.push(`French hit@3 ${fr ? pct(fr.hitAt3) : 'n/a'} < ${pct(f.frenchHitAt3)}`);
  if (!en || en.hitAt3 < f.englishHitAt3) failures.push(`English hit@3 ${en ? pct(en.hitAt3) : 'n/a'} < ${pct(f.englishHitAt3)}`);
  if (all.abstentionRecall < f.unanswerableAbstained) failures.push(`unanswerable abstained ${pct(all.abstentionRecall)} < ${pct(f.unanswerableAbstained)}`);
  if (all.falseAbstentionRate > f.maxFalseAbstentions) failures.push(`false abstentions ${pct(all.falseAbstentionRate)} > ${pct(f.maxFalseAbstentions)}`);
  if (all.nonVerbatim > f.maxNonVerbatimQuotes) failures.push(`${all.nonVerbatim} quotes are not verbatim in their source`);
  return failures;
}
