import type { ConversationScores } from './conversations.js';
import type { Scores } from './metrics.js';

/**
 * The CI quality gate's floors on the bot as deployed (hybrid, with the imported
 * multilingual-e5-small), on test/eval/questions.jsonl. They sit a little under what is measured
 * (docs/evaluation.md gives the figures) so that quality cannot slip back unnoticed; several are
 * below the targets of the issues that asked for them, and docs/evaluation.md ("Against the
 * targets") says by how much and why. Raise them as the answers improve, never lower them to let
 * a change through.
 */
export const GATE_FLOORS = Object.freeze({
  hitAt1: 0.63,
  frenchHitAt3: 0.83,
  englishHitAt3: 0.7,
  /** Unanswerable questions given no answer (related passages or nothing). */
  unanswerableNotAnswered: 0.5,
  /** Of them, the near-topic traps (real names, asking what the articles do not state). */
  trapsNotAnswered: 0.42,
  /** Answerable questions given related passages or nothing. */
  maxFalseAbstentions: 0.06,
  /** Answerable questions whose expected quote hybrid ranks below lexical alone, as a share of answerable. */
  maxHybridBelowLexical: 0.02,
  maxNonVerbatimQuotes: 0,
  /** Later turns of the conversation set (follow-ups, replaced names, questions of their own): hit@3. */
  followUpHitAt3: 0.6,
});

/** What the gate reads: the deployed system's scores, and how many questions it ranks below lexical alone. */
export interface GateInput {
  all: Scores;
  byLang: Record<string, Scores>;
  byCategory: Record<string, Scores>;
  hybridBelowLexical: number;
  /** The conversation set, when it was run. */
  conversations?: Pick<ConversationScores, 'later' | 'ownAnchorsChanged'>;
}

/** What misses a floor, one line each; empty when the gate passes. */
export function gateFailures({ all, byLang, byCategory, hybridBelowLexical, conversations }: GateInput): string[] {
  const f = GATE_FLOORS;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const failures: string[] = [];
  const fr = byLang.fr;
  const en = byLang.en;
  const traps = byCategory.trap;
  if (all.hitAt1 < f.hitAt1) failures.push(`hit@1 ${pct(all.hitAt1)} < ${pct(f.hitAt1)}`);
  if (!fr || fr.hitAt3 < f.frenchHitAt3) failures.push(`French hit@3 ${fr ? pct(fr.hitAt3) : 'n/a'} < ${pct(f.frenchHitAt3)}`);
  if (!en || en.hitAt3 < f.englishHitAt3) failures.push(`English hit@3 ${en ? pct(en.hitAt3) : 'n/a'} < ${pct(f.englishHitAt3)}`);
  if (all.abstentionRecall < f.unanswerableNotAnswered) failures.push(`unanswerable not answered ${pct(all.abstentionRecall)} < ${pct(f.unanswerableNotAnswered)}`);
  if (!traps || traps.abstentionRecall < f.trapsNotAnswered) failures.push(`near-topic traps not answered ${traps ? pct(traps.abstentionRecall) : 'n/a'} < ${pct(f.trapsNotAnswered)}`);
  if (all.falseAbstentionRate > f.maxFalseAbstentions) failures.push(`false abstentions ${pct(all.falseAbstentionRate)} > ${pct(f.maxFalseAbstentions)}`);
  const below = all.answerable === 0 ? 0 : hybridBelowLexical / all.answerable;
  if (below > f.maxHybridBelowLexical) failures.push(`hybrid ranks ${hybridBelowLexical} questions below lexical alone (${pct(below)} > ${pct(f.maxHybridBelowLexical)})`);
  if (all.nonVerbatim > f.maxNonVerbatimQuotes) failures.push(`${all.nonVerbatim} quotes are not verbatim in their source`);
  if (conversations && conversations.later.hitAt3 < f.followUpHitAt3) failures.push(`follow-up hit@3 ${pct(conversations.later.hitAt3)} < ${pct(f.followUpHitAt3)}`);
  // A later turn that brings its own names is a new question: answered exactly as alone.
  if (conversations && conversations.ownAnchorsChanged.length > 0) failures.push(`${conversations.ownAnchorsChanged.length} later turns with names of their own answered differently from when asked alone`);
  return failures;
}
