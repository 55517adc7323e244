import type pg from 'pg';
import type { FeedbackEntry, FeedbackLog, FeedbackReason } from '../index.js';

/** Feedback in the `feedback` table, beside the corpus every bot process shares. */
export class PgFeedbackLog implements FeedbackLog {
  constructor(private readonly pool: () => Promise<pg.Pool>) {}

  async add(e: FeedbackEntry): Promise<void> {
    await (await this.pool()).query(
      'INSERT INTO feedback (id, at, server, vote, reason, question, understood, match, quotes, mode, model) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING',
      [e.id, e.at, e.server, e.vote, e.reason, e.question, e.understood, e.match, JSON.stringify(e.quotes), e.mode, e.model],
    );
  }

  async setReason(id: string, reason: FeedbackReason): Promise<void> {
    await (await this.pool()).query('UPDATE feedback SET reason = $2 WHERE id = $1', [id, reason]);
  }

  async list(server?: string | null): Promise<FeedbackEntry[]> {
    const filter = server === undefined ? '' : server === null ? 'WHERE server IS NULL' : 'WHERE server = $1';
    const r = await (await this.pool()).query<FeedbackEntry & { at: Date }>(
      `SELECT id, at, server, vote, reason, question, understood, match, quotes, mode, model FROM feedback ${filter} ORDER BY at, id`,
      server === undefined || server === null ? [] : [server],
    );
    return r.rows.map((row) => ({ ...row, at: new Date(row.at).toISOString() }));
  }
}
