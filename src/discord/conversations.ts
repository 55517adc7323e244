/**
 * Which Discord messages continue a conversation, and with which turn: a reply to one of the
 * bot's answers continues that answer; a mention (or /ask) right after the bot answered the
 * same person in the same channel continues their last turn. Kept in memory, bounded, keyed by
 * server: nothing of one server's conversations is ever read in another.
 */
import { LRUCache } from 'lru-cache';
import type { Answer } from '../core/types.js';
import { Conversations, type PreviousTurn } from '../engine/index.js';

/** A mention within this long of the bot's answer to the same person there continues it. */
export const FOLLOW_UP_WINDOW_MS = 5 * 60_000;
/** How long a reply to one of the bot's answers still continues it, and how many answers are remembered. */
const ANSWER_MEMORY = { max: 5000, ttl: 24 * 3_600_000 };

/** Where a question was asked: the server (null in a DM), the channel, the person. */
export interface Place {
  server: string | null;
  channel: string;
  user: string;
}

export interface DiscordConversations {
  /**
   * The turn a question continues: the answer `repliedTo` names, when it is one of the bot's
   * answers in this server; else the asker's last turn in this channel, when it is recent.
   */
  previous(place: Place, repliedTo: string | null): PreviousTurn | null;
  /** Records an answer as the asker's last turn there, and the messages it was sent as. */
  remember(place: Place, answer: Answer, messageIds: readonly string[]): void;
  /** A thread the bot started from an answer: every message in it continues the thread's conversation. */
  startThread(thread: { server: string; channel: string }, answer: Answer): void;
  /**
   * The conversation of a thread the bot started from an answer, or null. `ownedByBot` (what
   * Discord says of the channel) keeps a thread the bot started before a restart a conversation, from its next turn.
   */
  inThread(server: string | null, channel: string, ownedByBot: boolean): Place | null;
}

export function createConversations(windowMs: number = FOLLOW_UP_WINDOW_MS): DiscordConversations {
  const recent = new Conversations({ turns: 3, idleMs: windowMs, conversations: 10_000 });
  // In a thread the conversation is the thread's purpose: it lasts as long as the thread does.
  const recentThreads = new Conversations({ turns: 3, idleMs: ANSWER_MEMORY.ttl, conversations: 10_000 });
  const answers = new LRUCache<string, { server: string | null; turn: PreviousTurn }>(ANSWER_MEMORY);
  const keyOf = (p: Place): string => Conversations.key(p.server, p.channel, p.user);
  // A thread's conversation is everyone's in it: one key per thread, kept as long as a reply to an answer.
  const threads = new LRUCache<string, string>(ANSWER_MEMORY);
  const THREAD_USER = '*';
  const memoryOf = (p: Place): Conversations => (p.user === THREAD_USER ? recentThreads : recent);
  return {
    previous(place, repliedTo) {
      if (repliedTo) {
        const found = answers.get(repliedTo);
        // A forged or foreign reference (another server's message id) continues nothing.
        if (found && found.server === place.server) return found.turn;
      }
      return memoryOf(place).previous(keyOf(place));
    },
    startThread(thread, answer) {
      threads.set(thread.channel, thread.server);
      const place = { ...thread, user: THREAD_USER };
      memoryOf(place).remember(keyOf(place), answer);
    },
    inThread(server, channel, ownedByBot) {
      if (server !== null && ownedByBot && !threads.has(channel)) threads.set(channel, server);
      const owner = threads.get(channel);
      return owner !== undefined && owner === server ? { server, channel, user: THREAD_USER } : null;
    },
    remember(place, answer, messageIds) {
      const turn = memoryOf(place).remember(keyOf(place), answer);
      for (const id of messageIds) answers.set(id, { server: place.server, turn });
    },
  };
}
