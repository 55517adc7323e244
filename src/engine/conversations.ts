/**
 * Conversations in memory: per person and place (a Discord server's channel, the terminal), the
 * last few turns, forgotten after a while of silence. Never written anywhere: a restart forgets
 * them, and a key names its server so nothing of one server's conversations reaches another.
 */
import { LRUCache } from 'lru-cache';
import type { Answer } from '../core/types.js';
import type { PreviousTurn } from './types.js';

export interface ConversationLimits {
  /** Turns kept per conversation. */
  turns: number;
  /** A conversation silent this long is forgotten. */
  idleMs: number;
  /** Conversations kept at once; the least recent go first. */
  conversations: number;
}

export const CONVERSATION_LIMITS: Readonly<ConversationLimits> = Object.freeze({ turns: 3, idleMs: 10 * 60_000, conversations: 10_000 });

/** The turn an answer makes, as a follow-up reads it. */
export function turnOf(answer: Answer): PreviousTurn {
  return {
    understood: answer.followUp?.understood ?? answer.question,
    articles: [...new Set(answer.results.map((r) => r.articleId))],
    quotes: answer.results.map((r) => r.quote),
  };
}

export class Conversations {
  private readonly turns: LRUCache<string, PreviousTurn[]>;

  constructor(private readonly limits: Readonly<ConversationLimits> = CONVERSATION_LIMITS) {
    this.turns = new LRUCache({ max: limits.conversations, ttl: limits.idleMs, updateAgeOnGet: false });
  }

  /** The key of one person's conversation in one place; `server` null for a DM or the terminal. */
  static key(server: string | null, channel: string, user: string): string {
    return `${server ?? 'dm'}/${channel}/${user}`;
  }

  /** The turn a follow-up continues, or null when the conversation is new or forgotten. */
  previous(key: string): PreviousTurn | null {
    const turns = this.turns.get(key);
    if (!turns || turns.length === 0) return null;
    // "Who else?" after several turns: none of the quotes of the conversation again.
    const last = turns.at(-1)!;
    return { ...last, quotes: [...new Set(turns.flatMap((t) => t.quotes))] };
  }

  remember(key: string, answer: Answer): PreviousTurn {
    const turn = turnOf(answer);
    const turns = [...(this.turns.get(key) ?? []), turn].slice(-this.limits.turns);
    this.turns.set(key, turns);
    return turn;
  }

  forget(key: string): void {
    this.turns.delete(key);
  }

  get size(): number {
    return this.turns.size;
  }
}
