/**
 * The conversation set (test/eval/conversations.jsonl): turns of short conversations, each with
 * the quote expected in the context of the turns before it. Turn categories: `first` (a question
 * of its own), `follow-up` (no names of its own: "Et quand ?"), `replace` ("et Singapour ?"),
 * `own-anchors` (a later turn that is a question of its own, to be answered as if asked alone).
 */
import type { Answer } from '../../src/core/types.js';
import { Conversations, type PreviousTurn } from '../../src/engine/index.js';
import { asRun, parseQuestions, score, scoreBy, type EvalQuestion, type EvalRun, type Scores } from './metrics.js';

export interface EvalTurn extends EvalQuestion {
  conversation: string;
}

/** Turns in file order, each with its conversation id; throws with the line number on a bad line. */
export function parseConversations(text: string): EvalTurn[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const questions = parseQuestions(lines.join('\n'));
  return questions.map((q, i) => {
    const id = (JSON.parse(lines[i]!) as { conversation?: unknown }).conversation;
    if (typeof id !== 'string' || id === '') throw new Error(`line ${i + 1}: "conversation" must name the conversation`);
    return { ...q, conversation: id };
  });
}

export interface ConversationScores {
  conversations: number;
  /** Every later turn (not `first`). */
  later: Scores;
  /** The same turns asked alone, without the turn before: what the conversation adds. */
  laterAlone: Scores;
  /** Later turns by category: follow-up, replace, own-anchors. */
  byCategory: Record<string, Scores>;
  byLang: Record<string, Scores>;
  /** `own-anchors` turns whose quotes differ from the same question asked alone. */
  ownAnchorsChanged: string[];
  ownAnchors: number;
  understood: { q: string; understood: string }[];
}

type Ask = (question: string, previous: PreviousTurn | null) => Promise<Answer>;

/** Answers each conversation in order, each turn with the one before it, and scores the later turns. */
export async function evaluateConversations(turns: readonly EvalTurn[], ask: Ask): Promise<ConversationScores> {
  const memory = new Conversations();
  const runs: EvalRun[] = [];
  const aloneRuns: EvalRun[] = [];
  const ownAnchorsChanged: string[] = [];
  const understood: { q: string; understood: string }[] = [];
  let previousId: string | null = null;
  for (const turn of turns) {
    const key = turn.conversation;
    if (turn.conversation !== previousId) memory.forget(key);
    previousId = turn.conversation;
    const t = performance.now();
    const answer = await ask(turn.q, memory.previous(key));
    runs.push(asRun(answer, performance.now() - t));
    memory.remember(key, answer);
    understood.push({ q: turn.q, understood: answer.followUp?.understood ?? answer.question });
    const alone = await ask(turn.q, null);
    aloneRuns.push(asRun(alone, 0));
    const quotes = (a: Answer) => JSON.stringify([a.match, a.results.map((r) => r.quote)]);
    if (turn.category === 'own-anchors' && quotes(alone) !== quotes(answer)) ownAnchorsChanged.push(turn.q);
  }
  const later = turns.flatMap((t, i) => (t.category === 'first' ? [] : [i]));
  const laterTurns = later.map((i) => turns[i]!);
  const laterRuns = later.map((i) => runs[i]!);
  return {
    conversations: new Set(turns.map((t) => t.conversation)).size,
    later: score(laterTurns, laterRuns),
    laterAlone: score(laterTurns, later.map((i) => aloneRuns[i]!)),
    byCategory: scoreBy(turns, runs, (q) => q.category),
    byLang: scoreBy(laterTurns, laterRuns, (q) => q.lang),
    ownAnchorsChanged,
    ownAnchors: turns.filter((t) => t.category === 'own-anchors').length,
    understood,
  };
}
