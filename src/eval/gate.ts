import type { Scores } from './metrics.js';

/** The CI quality gate's floors on the bot as deployed (hybrid, with the real model). */
export const GATE_FLOORS = Object.freeze({
  frenchHitAt3: 0.95,
  englishHitAt3: 0.9,
  unanswerableAbstained: 0.85,
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
