import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FeedbackEntry, FeedbackLog, FeedbackReason } from '../index.js';

/**
 * Feedback as JSON lines in `embeddings/feedback.jsonl`, appended (a reason is a later line for
 * the same id): one write per click, nothing rewritten, so a crash loses at most the line in flight.
 */
export class FileFeedbackLog implements FeedbackLog {
  private readonly file: string;

  constructor(dir: string) {
    this.file = path.join(dir, 'feedback.jsonl');
  }

  async add(entry: FeedbackEntry): Promise<void> {
    await this.append(entry);
  }

  async setReason(id: string, reason: FeedbackReason): Promise<void> {
    await this.append({ id, reason });
  }

  async list(server?: string | null): Promise<FeedbackEntry[]> {
    const text = await readFile(this.file, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e)));
    const byId = new Map<string, FeedbackEntry>();
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let v: Partial<FeedbackEntry> & { id?: unknown };
      try {
        v = JSON.parse(line) as typeof v;
      } catch {
        continue; // a line cut by a crash
      }
      if (typeof v.id !== 'string') continue;
      const known = byId.get(v.id);
      if (known) byId.set(v.id, { ...known, ...v });
      else if (typeof v.question === 'string' && (v.vote === 'up' || v.vote === 'down')) byId.set(v.id, v as FeedbackEntry);
    }
    const all = [...byId.values()];
    return server === undefined ? all : all.filter((e) => e.server === server);
  }

  private async append(record: object): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    await appendFile(this.file, `${JSON.stringify(record)}\n`);
  }
}
