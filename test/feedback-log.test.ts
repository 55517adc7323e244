/** The feedback log in both stores: entries kept with their reason, each server's apart, nothing about who gave them. */
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { FeedbackEntry, FeedbackLog } from '../src/core/store/index.js';
import { FileFeedbackLog } from '../src/core/store/files/index.js';
import { PgFeedbackLog } from '../src/core/store/pg/index.js';
import { migrate } from '../src/core/store/pg/database.js';
import { useTestDatabase } from './helpers/pg.js';
import { makeTempDir } from './helpers/static-model.js';

const entry = (id: string, server: string | null, vote: 'up' | 'down'): FeedbackEntry => ({
  id,
  at: new Date(Date.UTC(2026, 11, 8, 1, Number(id.slice(-1)))).toISOString(),
  server,
  vote,
  reason: null,
  question: `question ${id} ?`,
  understood: null,
  match: 'answer',
  quotes: [{ quote: 'Une phrase.', source: 'a.txt', passageId: 'a#p0' }],
  mode: 'hybrid',
  model: 'multilingual-e5-small',
});

async function behaves(log: FeedbackLog): Promise<void> {
  await log.add(entry('e1', '111111111111111111', 'up'));
  await log.add(entry('e2', '111111111111111111', 'down'));
  await log.add(entry('e3', '222222222222222222', 'down'));
  await log.add(entry('e4', null, 'up'));
  await log.setReason('e2', 'wrong-quote');
  const all = await log.list();
  expect(all.map((e) => e.id)).toEqual(['e1', 'e2', 'e3', 'e4']);
  expect(all.find((e) => e.id === 'e2')).toMatchObject({ vote: 'down', reason: 'wrong-quote', question: 'question e2 ?', quotes: [{ quote: 'Une phrase.' }] });
  expect((await log.list('111111111111111111')).map((e) => e.id)).toEqual(['e1', 'e2']);
  expect((await log.list(null)).map((e) => e.id)).toEqual(['e4']);
}

describe('feedback log', () => {
  it('in embeddings/: appended lines, a reason a later line, a line cut by a crash skipped', async () => {
    const dir = await makeTempDir('feedback-');
    const log = new FileFeedbackLog(dir);
    await behaves(log);
    await appendFile(path.join(dir, 'feedback.jsonl'), '{"id":"e5","vote":"up","quest');
    expect(await log.list()).toHaveLength(4);
  });

  const db = useTestDatabase();
  it('in PostgreSQL: the feedback table', async () => {
    const url = await db.fresh('feedback_log');
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      await migrate(pool);
      await behaves(new PgFeedbackLog(async () => pool));
    } finally {
      await pool.end();
    }
  });
});
