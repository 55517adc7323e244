import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/seeds.js';
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
});
