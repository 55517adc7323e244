// Shared pieces of the reliability tests: users, call matchers, answers, workspaces, a spawned bot.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import type { FakeDiscord, RecordedCall } from '../../tools/fake-discord/index.js';
import { TOKEN, askOptions, quoteFromDescription, type Harness } from '../discord/harness.js';
import { userEntry } from '../helpers/cli.js';
import { ROOT, SEED, SEEDS_DIR, normalisedSeed } from '../helpers/seeds.js';
import { makeTempDir } from '../helpers/static-model.js';

/** The question every batch ends with: answered from the Singapore article, with its date. */
export const NORMAL_QUESTION = 'Quand le protocole de coopération en cybersécurité avec Singapour a-t-il été signé ?';
export const NORMAL_SOURCE = SEED.singapore;
export const NORMAL_FRAGMENT = '17 octobre 2022';

/** Fresh users (17–19 digit ids), so the per-user cooldown only bites where a test wants it. */
export function userFactory(prefix: string): () => { id: string; username: string } {
  let n = 0;
  return () => {
    n += 1;
    return { id: `${prefix}${String(n).padStart(18 - prefix.length, '0')}`, username: `u${prefix}${n}` };
  };
}

export const isCallback = (token: string) => (c: RecordedCall) => c.method === 'POST' && c.path.startsWith('/interactions/') && c.path.endsWith(`/${token}/callback`);
export const isOriginalEdit = (token: string) => (c: RecordedCall) => c.method === 'PATCH' && c.path.endsWith(`/${token}/messages/@original`);
export const isFollowUp = (token: string) => (c: RecordedCall) => c.method === 'POST' && c.path.startsWith('/webhooks/') && c.path.endsWith(`/${token}`);
export const isChannelMessage = (channelId: string) => (c: RecordedCall) => c.method === 'POST' && c.path === `/channels/${channelId}/messages`;
const ok = (c: RecordedCall) => c.status >= 200 && c.status < 300;

export interface AnswerBody {
  content?: string;
  embeds?: { title?: string; description: string; fields?: { name: string; value: string }[] }[];
  allowed_mentions?: { parse?: unknown[] };
  flags?: number;
}

/** Dispatches /ask and resolves with the successful edit of the deferred reply. */
export async function askAndWait(
  fake: FakeDiscord,
  question: string,
  user: { id: string; username?: string },
  opts: { locale?: string; timeoutMs?: number } = {},
): Promise<{ token: string; edit: RecordedCall; body: AnswerBody }> {
  const i = fake.dispatchInteraction({ name: 'ask', options: askOptions(question), user, locale: opts.locale ?? 'fr' });
  const token = i.token as string;
  const edit = await fake.waitForCall((c) => isOriginalEdit(token)(c) && ok(c), opts.timeoutMs ?? 15_000);
  return { token, edit, body: edit.body as AnswerBody };
}

/** The first quote of an answer, unescaped, and checks that it is verbatim from `source`. */
export function expectQuoteFrom(body: AnswerBody, source: string, fragment?: string): string {
  expect(body.embeds?.length ?? 0, JSON.stringify(body).slice(0, 300)).toBeGreaterThan(0);
  const quote = quoteFromDescription(body.embeds![0]!.description);
  expect(normalisedSeed(source)).toContain(quote);
  if (fragment) expect(quote).toContain(fragment);
  return quote;
}

/** A normal /ask is answered with the right verbatim quote: the bot still serves. */
export async function expectStillServing(fake: FakeDiscord, user: { id: string; username?: string }): Promise<void> {
  const { body } = await askAndWait(fake, NORMAL_QUESTION, user);
  expectQuoteFrom(body, NORMAL_SOURCE, NORMAL_FRAGMENT);
}

/** Copies of the seeds and an index folder of one's own. */
export async function workspace(prefix: string): Promise<{ dir: string; seeds: string; embeddings: string }> {
  const dir = await makeTempDir(prefix);
  const seeds = path.join(dir, 'seeds');
  await cp(SEEDS_DIR, seeds, { recursive: true });
  return { dir, seeds, embeddings: path.join(dir, 'embeddings') };
}

/** Log lines of the harness as objects. */
export function parsedLogs(logs: string[]): { level: number; msg: string; [key: string]: unknown }[] {
  return logs.map((l) => JSON.parse(l) as { level: number; msg: string });
}

export const WARN = 40;

/**
 * The token appears nowhere the harness captured: log lines, and the bodies, URLs and responses of
 * every REST call the fake recorded (the Authorization header necessarily carries it, nothing else
 * may). Responses the test itself forged with `failNext` are left out: they are not the bot's doing.
 */
export function expectNoTokenCaptured(h: Pick<Harness, 'logs' | 'fake'>): void {
  expect(h.logs.length).toBeGreaterThan(0);
  for (const line of h.logs) expect(line).not.toContain(TOKEN);
  for (const c of h.fake.calls) {
    const seen = [c.body, c.rawUrl, c.query, c.files.map((f) => [f.filename, f.data?.toString("latin1")]), c.fault ? null : c.response];
    expect(JSON.stringify(seen), `${c.method} ${c.path}`).not.toContain(TOKEN);
  }
}

/** Replies to users reveal nothing of the machine: no paths, source files, stack traces or error names. */
export const INTERNALS = /\/tmp\b|\/work\/|\/home\/|node_modules|\.ts\b|\n\s*at |\bat .+:\d+:\d+|Error:|ENOENT|EACCES/u;

/** Every message the bot sent to users (callbacks with content, edits, follow-ups, channel messages). */
export function repliesSent(fake: FakeDiscord): RecordedCall[] {
  return fake.calls.filter(
    (c) =>
      (c.method === 'POST' && c.path.startsWith('/interactions/')) ||
      (c.path.startsWith('/webhooks/') && (c.method === 'PATCH' || c.method === 'POST')) ||
      (c.method === 'POST' && /^\/channels\/\d+\/messages$/u.test(c.path)),
  );
}

export interface Spawned {
  child: ChildProcess;
  /** stdout and stderr as received so far. */
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** `npm start` as a process (`node src/launch.mjs src/main.ts`), in its own process group. */
export function spawnMain(env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, userEntry('src/main.ts'), {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Stops a spawned process group if it is still running (only ever the process this test started). */
export function killGroup(s: Spawned): void {
  if (s.child.exitCode === null && s.child.signalCode === null && s.child.pid) {
    try {
      process.kill(-s.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
