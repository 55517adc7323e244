import { spawn } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userEntry } from '../helpers/cli.js';
import { ROOT } from '../helpers/seeds.js';
import { makeTempDir } from '../helpers/static-model.js';
import { frenchArticle } from './pages.js';
import { startNewsServer, type NewsServer } from './server.js';

let site: NewsServer;
beforeAll(async () => {
  site = await startNewsServer();
  site.page('/fr', frenchArticle(site.origin));
});
afterAll(() => site.close());

/** Runs `npm run add` as a process (async: the test server lives in this process). */
function runAdd(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runScript('add', args, env);
}

function runScript(name: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...userEntry(`src/cli/${name}.ts`), ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run add', () => {
  it('adds a page, says what it added, and refuses a private address unless ALLOW_PRIVATE_URLS=1', async () => {
    const dir = await makeTempDir('add-cli-');
    const seeds = path.join(dir, 'seeds');
    await mkdir(seeds);
    const env = { SEEDS_DIR: seeds, EMBEDDINGS_DIR: path.join(dir, 'embeddings'), EMBEDDING_MODEL: path.join(dir, 'no-model'), OFFLINE: '1' };
    const refused = await runAdd([`${site.origin}/fr`], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe(`failed: ${site.origin}/fr — 127.0.0.1 is a private or local address (ALLOW_PRIVATE_URLS=1 allows pages on your own network)\n`);
    expect(refused.stderr).not.toMatch(/\n\s+at /u);
    expect(await readdir(seeds)).toEqual([]);

    const added = await runAdd([`${site.origin}/fr`, `${site.origin}/nope`], { ...env, ALLOW_PRIVATE_URLS: '1' });
    expect(added.code).toBe(0);
    expect(added.stdout.split('\n')).toEqual([
      expect.stringMatching(/^added: haiphong-inaugure-un-terminal-a-conteneurs-geant\.md — Haiphong inaugure un terminal à conteneurs géant · 2025-10-14 · \d+ passages$/u),
      `failed: ${site.origin}/nope — the server answered 404`,
      '',
    ]);
    expect(await readdir(seeds)).toEqual(['haiphong-inaugure-un-terminal-a-conteneurs-geant.md']);
  });
});

describe('npm run feeds', () => {
  it('does one pass over FEEDS and says what it added, feed by feed', async () => {
    const { rssFeed } = await import('./pages.js');
    site.page('/rss.xml', rssFeed(site.origin, [{ path: '/fr', title: 'Haiphong', pubDate: 'Tue, 14 Oct 2025 03:00:00 GMT' }, { path: '/nope', title: 'Absent', pubDate: 'Tue, 14 Oct 2025 03:00:00 GMT' }]), 'application/rss+xml');
    const dir = await makeTempDir('feeds-cli-');
    const seeds = path.join(dir, 'seeds');
    await mkdir(seeds);
    const env = { SEEDS_DIR: seeds, EMBEDDINGS_DIR: path.join(dir, 'embeddings'), EMBEDDING_MODEL: path.join(dir, 'no-model'), OFFLINE: '1', ALLOW_PRIVATE_URLS: '1', FEEDS: `${site.origin}/rss.xml` };
    const r = await runScript('feeds', [], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`1 feeds; 1 new articles, 0 updated, 0 unchanged, 1 failed\n  Le Quotidien du Delta: 1 articles; last success ${r.stdout.match(/last success (\S+)/u)![1]}\n`);
    expect(r.stderr).toContain('[2/2]');
    expect(await readdir(seeds)).toEqual(['haiphong-inaugure-un-terminal-a-conteneurs-geant.md']);
    const none = await runScript('feeds', [], { ...env, FEEDS: '' });
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('error: no feeds: set FEEDS to one or more RSS, Atom or JSON feed URLs\n');
  });
});
