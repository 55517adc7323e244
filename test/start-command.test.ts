import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../tools/fake-discord/index.js';
import { TOKEN } from './discord/harness.js';
import { ROOT, SEEDS_DIR } from './helpers/seeds.js';
import { makeTempDir } from './helpers/static-model.js';

describe('bin/news-quote-bot (the start command for Docker and systemd)', () => {
  it('is the node process itself, so the signal an operator sends reaches the bot', async () => {
    const dir = await makeTempDir('start-');
    const child = spawn(path.join(ROOT, 'bin/news-quote-bot'), [], {
      env: { ...process.env, EMBEDDINGS_DIR: path.join(dir, 'embeddings'), EMBEDDING_MODEL: path.join(dir, 'no-model'), OFFLINE: '1', DISCORD_TOKEN: '', DATABASE_URL: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 60_000;
    while (!out.includes('No DISCORD_TOKEN set') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('No DISCORD_TOKEN set');
    // The pid the operator's tool holds runs node, not a shell or npm that would swallow the signal.
    const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
    expect(path.basename(cmdline[0]!)).toMatch(/^node/);
    expect(cmdline).toContain('src/main.ts');
    child.kill('SIGTERM');
    const [code, signal] = await new Promise<[number | null, string | null]>((r) => child.on('exit', (c, s) => r([c, s])));
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
  }, 90_000);

  it('orphaned (its parent SIGKILLed, no signal passed on): notices within seconds, logs it, drains and exits', async () => {
    const fake = await startFakeDiscord({ heartbeatIntervalMs: 1_000 });
    const dir = await makeTempDir('start-');
    // An operator's process manager or wrapper script: a shell that starts the bot and waits for it.
    const parent = spawn('/bin/sh', ['-c', `"${path.join(ROOT, 'bin/news-quote-bot')}" & echo "bot pid $!"; wait`], {
      env: {
        ...process.env,
        DISCORD_TOKEN: TOKEN,
        DISCORD_API_BASE: fake.apiBase,
        DISCORD_GUILD_ID: fake.guildId,
        SEEDS_DIR,
        EMBEDDINGS_DIR: path.join(dir, 'embeddings'),
        EMBEDDING_MODEL: path.join(dir, 'no-model'),
        OFFLINE: '1',
        DATABASE_URL: '',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    parent.stdout.on('data', (d: Buffer) => (out += d.toString()));
    parent.stderr.on('data', (d: Buffer) => (out += d.toString()));
    // The bot inherited the shell's pipes: they close when the bot itself has exited.
    const closed = Promise.all([new Promise((r) => parent.stdout.once('close', r)), new Promise((r) => parent.stderr.once('close', r))]);
    let botPid = 0;
    try {
      await fake.waitForCall(`PUT /applications/:app/guilds/${fake.guildId}/commands`, 60_000);
      botPid = Number(/bot pid (\d+)/u.exec(out)?.[1]);
      expect(botPid).toBeGreaterThan(0);
      expect(readFileSync(`/proc/${botPid}/cmdline`, 'utf8')).toContain('src/main.ts');
      expect(fake.stats.identifies).toBeGreaterThanOrEqual(1);

      parent.kill('SIGKILL');
      const killedAt = Date.now();
      const ended = await Promise.race([closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
      const gone = (): boolean => {
        try {
          return readFileSync(`/proc/${botPid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
        } catch {
          return true;
        }
      };
      expect(ended && gone(), `the bot (pid ${botPid}) was still running 15 s after its parent died:\n${out}`).toBe(true);
      // Noticed within a few seconds (checked every 2 s), drained and exited.
      expect(Date.now() - killedAt).toBeLessThan(10_000);
      const logs = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg?: string; signal?: string });
      expect(logs.some((l) => l.msg?.includes('stopping') && l.signal?.includes('orphaned'))).toBe(true);
      expect(out).not.toContain(TOKEN);
    } finally {
      if (botPid > 0) {
        try {
          process.kill(botPid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      parent.kill('SIGKILL');
      await fake.close();
    }
  }, 90_000);
});
