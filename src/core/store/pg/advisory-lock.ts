/**
 * Session advisory locks taken with a bounded wait that names who holds them: two indexers, or
 * two bots migrating at once, wait for each other and say for whom instead of failing.
 */
import type pg from 'pg';

export interface LockWait {
  /** Longest wait; 0 fails at once. */
  timeoutMs: number;
  /** Said once, when the lock is found held: given who holds it. */
  waiting(holder: string): void;
  /** The error to throw when the wait is over: given who holds it. */
  busy(holder: string): Error;
}

/** Takes `key` on `client` (held until unlocked on that client or the session ends). */
export async function takeAdvisoryLock(client: pg.ClientBase, key: bigint | number, wait: LockWait): Promise<void> {
  const deadline = Date.now() + wait.timeoutMs;
  let announced = false;
  for (;;) {
    const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [String(key)]);
    if (got.rows[0]!.ok) return;
    const holder = await lockHolder(client, key);
    if (wait.timeoutMs <= 0 || Date.now() > deadline) throw wait.busy(holder);
    if (!announced) wait.waiting(holder);
    announced = true;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function releaseAdvisoryLock(client: pg.ClientBase, key: bigint | number): Promise<void> {
  await client.query('SELECT pg_advisory_unlock($1::bigint)', [String(key)]);
}

/** "database session 4242 (news-quote-bot) from 10.0.0.7", or "another session" when that cannot be read. */
async function lockHolder(client: pg.ClientBase, key: bigint | number): Promise<string> {
  const holder = await client
    .query<{ pid: number; app: string | null; addr: string | null }>(
      // host(): the address alone ("10.0.0.7"), where ::text gives it with its mask ("10.0.0.7/32").
      `SELECT l.pid, a.application_name AS app, host(a.client_addr) AS addr FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint LIMIT 1`,
      [String(key)],
    )
    .then((r) => r.rows[0])
    .catch(() => undefined);
  if (!holder) return 'another session';
  return `database session ${holder.pid}${holder.app ? ` (${holder.app})` : ''}${holder.addr ? ` from ${holder.addr}` : ''}`;
}
