/**
 * A lock file per index folder: two processes updating one folder (the bot and `npm run index`)
 * would otherwise delete each other's new files. A lock left by a killed process is recognised
 * (its pid is gone, or a zombie) and removed.
 */
import { open, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

const heldLocks = new Set<string>();

/** Waits for and takes the lock `name` in `dir`; the result releases it. */
export async function acquireLock(dir: string, name: string, log: (line: string) => void, timeoutMs: number, what = 'index'): Promise<() => Promise<void>> {
  const file = path.resolve(dir, name);
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const fh = await open(file, 'wx');
      try {
        await fh.writeFile(`${process.pid}\n`);
      } finally {
        await fh.close();
      }
      heldLocks.add(file);
      return async () => {
        heldLocks.delete(file);
        await unlink(file).catch(() => undefined);
      };
    } catch (err) {
      if (!isCode(err, 'EEXIST')) throw err;
    }
    const holder = await lockHolder(file);
    if (holder === 'stale') {
      // Left by a killed process. Two waiters could both see it stale and one could remove the
      // other's fresh lock; that needs two updaters starting within one poll of a crash, which
      // this bot's single indexing step does not do.
      log(`${what}: removing stale lock ${file}`);
      await unlink(file).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: ${dir} is being updated by process ${holder ?? '?'} (lock ${file})`);
    }
    if (!announced) {
      log(`${what}: waiting for process ${holder ?? '?'} to finish updating ${dir}`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The live holder's pid, null while it is still writing the lock, or 'stale'. */
async function lockHolder(file: string): Promise<number | null | 'stale'> {
  let text: string;
  let ageMs: number;
  try {
    [text, ageMs] = await Promise.all([readFile(file, 'utf8'), stat(file).then((s) => Date.now() - s.mtimeMs)]);
  } catch {
    return null; // released meanwhile: retry at once
  }
  const pid = Number.parseInt(text, 10);
  if (!Number.isInteger(pid) || pid <= 0) return ageMs > 10_000 ? 'stale' : null;
  // A restarted container can reuse our own pid; it is ours only if this process holds it.
  if (pid === process.pid) return heldLocks.has(file) ? pid : 'stale';
  try {
    process.kill(pid, 0);
  } catch (err) {
    return isCode(err, 'EPERM') ? pid : 'stale';
  }
  // A killed process whose parent died too can linger as a zombie until reaped, and a zombie
  // still answers kill(pid, 0); it will never release the lock.
  const procStat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  const state = procStat?.slice(procStat.lastIndexOf(')') + 2, procStat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X' ? 'stale' : pid;
}

export function isCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
