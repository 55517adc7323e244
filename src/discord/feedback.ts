/**
 * 👍 / 👎 on every answer. The buttons name an answer the bot remembers for a day (in memory):
 * its question, quotes, mode and model are stored with the vote, never who voted. A 👎 offers
 * an optional reason. An id the bot does not know (forged, too old, from before a restart) or
 * from another server gets a short answer and stores nothing.
 */
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { FEEDBACK_REASONS, type FeedbackLog, type FeedbackReason } from '../core/store/index.js';
import type { Answer } from '../core/types.js';

export const FEEDBACK_BUTTON = 'fb:';
export const FEEDBACK_REASON_MENU = 'fbr:';
const ANSWERS = { max: 5000, ttl: 24 * 3_600_000 };

export type VoteOutcome = { kind: 'thanks' } | { kind: 'why'; entry: string } | { kind: 'again' } | { kind: 'gone' };

export interface DiscordFeedback {
  /** An answer given in `server` that can be rated: the id its buttons carry. */
  offer(server: string | null, answer: Answer): string;
  /** A click on 👍 or 👎 (`customId`) by `user` in `server`. */
  vote(server: string | null, user: string, customId: string): Promise<VoteOutcome>;
  /** The reason chosen after a 👎; false when the menu is not one the bot knows in this server. */
  reason(server: string | null, customId: string, value: string): Promise<boolean>;
}

export function createFeedback(log: FeedbackLog): DiscordFeedback {
  const answers = new LRUCache<string, { server: string | null; answer: Answer }>(ANSWERS);
  // Who already rated what: in memory only, so one person's clicks count once; never stored.
  const voted = new LRUCache<string, true>({ max: 50_000, ttl: ANSWERS.ttl });
  const downs = new LRUCache<string, { server: string | null }>(ANSWERS);
  return {
    offer(server, answer) {
      const id = randomUUID().replace(/-/gu, '').slice(0, 20);
      answers.set(id, { server, answer });
      return id;
    },
    async vote(server, user, customId) {
      const m = /^fb:(up|down):([0-9a-f]{20})$/u.exec(customId);
      const found = m ? answers.get(m[2]!) : undefined;
      if (!m || !found || found.server !== server) return { kind: 'gone' };
      const who = `${m[2]}:${user}`;
      if (voted.has(who)) return { kind: 'again' };
      voted.set(who, true);
      const { answer } = found;
      const entry = randomUUID();
      await log.add({
        id: entry,
        at: new Date().toISOString(),
        server,
        vote: m[1] as 'up' | 'down',
        reason: null,
        question: answer.question,
        understood: answer.followUp?.understood ?? null,
        match: answer.match,
        quotes: answer.results.map((r) => ({ quote: r.quote, source: r.source, passageId: r.passageId })),
        mode: answer.mode,
        model: answer.model,
      });
      if (m[1] === 'up') return { kind: 'thanks' };
      downs.set(entry, { server });
      return { kind: 'why', entry };
    },
    async reason(server, customId, value) {
      const entry = customId.startsWith(FEEDBACK_REASON_MENU) ? customId.slice(FEEDBACK_REASON_MENU.length) : '';
      const found = downs.get(entry);
      if (!found || found.server !== server || !(FEEDBACK_REASONS as readonly string[]).includes(value)) return false;
      downs.delete(entry);
      await log.setReason(entry, value as FeedbackReason);
      return true;
    },
  };
}
