/**
 * What people said of answers (👍 / 👎 and why), kept beside the corpus so operators can turn
 * bad answers into evaluation questions. Never anyone's name or id: the server an answer was
 * given in, the question, the quotes, the mode and the model.
 */
export type FeedbackReason = 'wrong-quote' | 'not-an-answer' | 'missing-article' | 'other';
export const FEEDBACK_REASONS: readonly FeedbackReason[] = Object.freeze(['wrong-quote', 'not-an-answer', 'missing-article', 'other']);

export interface FeedbackEntry {
  id: string;
  /** When it was given (ISO). */
  at: string;
  /** The server the answer was given in; null in a DM. */
  server: string | null;
  vote: 'up' | 'down';
  reason: FeedbackReason | null;
  question: string;
  /** The question as understood, when it followed up on another. */
  understood: string | null;
  match: string;
  quotes: { quote: string; source: string; passageId: string }[];
  mode: string;
  model: string | null;
}

export interface FeedbackLog {
  add(entry: FeedbackEntry): Promise<void>;
  /** Gives a 👎 its reason, chosen after the vote. */
  setReason(id: string, reason: FeedbackReason): Promise<void>;
  /** Every entry, oldest first (the server's own, when given). */
  list(server?: string | null): Promise<FeedbackEntry[]>;
}
