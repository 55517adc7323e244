/**
 * Waiting on a PostgreSQL advisory lock (indexers, migrations): the wait is said once with the
 * holder as an address, bounded, and the lock is taken as soon as it is free. PGlite has one
 * session underneath, so its locks never conflict: a scripted client stands in for the server.
 */
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { takeAdvisoryLock } from '../src/core/store/pg/advisory-lock.js';

/** A client whose lock is held for the first `busyTries` tries, by session 4242 from 10.0.0.7. */
function scriptedClient(busyTries: number): { client: pg.ClientBase; sql: string[] } {
  const sql: string[] = [];
  let tries = 0;
  const client = {
    query: async (text: string) => {
      sql.push(text);
      if (text.includes('pg_try_advisory_lock')) return { rows: [{ ok: ++tries > busyTries }] };
      return { rows: [{ pid: 4242, app: 'news-quote-bot', addr: '10.0.0.7' }] };
    },
  } as unknown as pg.ClientBase;
  return { client, sql };
}

describe('takeAdvisoryLock', () => {
  it('waits while the lock is held, says so once naming the holder, then takes it', async () => {
    const { client, sql } = scriptedClient(3);
    const said: string[] = [];
    await takeAdvisoryLock(client, 7, { timeoutMs: 10_000, waiting: (who) => said.push(who), busy: (who) => new Error(who) });
    expect(said).toEqual(['database session 4242 (news-quote-bot) from 10.0.0.7']);
    expect(sql.filter((q) => q.includes('pg_try_advisory_lock'))).toHaveLength(4);
    // The address without its mask: host(), not ::text ("10.0.0.7/32").
    expect(sql.find((q) => q.includes('pg_locks'))).toMatch(/host\(a\.client_addr\)/u);
  });

  it('gives up after its timeout with the error it is given', async () => {
    const { client } = scriptedClient(Infinity);
    const started = Date.now();
    await expect(takeAdvisoryLock(client, 7, { timeoutMs: 600, waiting: () => {}, busy: (who) => new Error(`busy: ${who}`) })).rejects.toThrow('busy: database session 4242 (news-quote-bot) from 10.0.0.7');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('fails at once with a timeout of 0', async () => {
    const { client } = scriptedClient(1);
    const said: string[] = [];
    await expect(takeAdvisoryLock(client, 7, { timeoutMs: 0, waiting: (w) => said.push(w), busy: () => new Error('busy') })).rejects.toThrow('busy');
    expect(said).toEqual([]);
  });
});
