/**
 * An update killed with SIGKILL at any point must leave a loadable index: the previous one when
 * killed before the new manifest is in place, the new one after.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadVectorIndex, updateVectorIndex, type IndexablePassage, type VectorIndex } from '../src/core/store/files/vector-index/index.js';
import { FakeEmbedder, corpus } from './fixtures/vector-index-fakes.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const child = path.join(repo, 'test/fixtures/vector-index-child.ts');
const EXPECT = { modelId: 'fake-a', dimension: 64 };

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((d) => rm(d, { recursive: true, force: true })));
});

const v1 = corpus(30, 'kill');
// Half the passages replaced, 20 added: enough texts that a slow embedder is still busy when killed.
const v2 = [...v1.slice(0, 15), ...corpus(35, 'kill-v2').slice(15)];
const probes = [...v1.slice(0, 5), ...v2.slice(-5)].map((p) => p.sentences[0]!);

async function setUp(): Promise<{ dir: string; passagesFile: string; before: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'vector-index-kill-'));
  roots.push(root);
  const dir = path.join(root, 'embeddings');
  const { index } = await updateVectorIndex({ dir, embedder: new FakeEmbedder(), passages: v1 });
  const passagesFile = path.join(root, 'v2.json');
  await writeFile(passagesFile, JSON.stringify(v2));
  return { dir, passagesFile, before: await answers(index) };
}

async function answers(index: VectorIndex): Promise<string> {
  const queries = await new FakeEmbedder().embedQueries(probes);
  return JSON.stringify(queries.map((q) => index.search(q, 5)));
}

async function load(dir: string): Promise<VectorIndex> {
  const r = await loadVectorIndex(dir, EXPECT);
  if (!r.ok) throw new Error(`index does not load: ${r.problem}`);
  return r.index;
}

/**
 * Runs the fixture with `npx tsx` in its own process group. With `killOn`, the whole group gets
 * SIGKILL as soon as a stdout line matches (npx and tsx each add a process, so killing only the
 * direct child would leave the worker running).
 */
function run(args: string[], killOn?: RegExp): Promise<{ stdout: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const proc = spawn('npx', ['tsx', child, ...args], { cwd: repo, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    proc.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (killOn && !killed && killOn.test(stdout)) {
        killed = true;
        process.kill(-proc.pid!, 'SIGKILL');
      }
    });
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (!killed && code !== 0 && !/^stage /m.test(stdout)) {
        reject(new Error(`child failed (${code ?? signal}): ${stderr}`));
      } else {
        resolve({ stdout, killed });
      }
    });
  });
}

describe('update killed with SIGKILL', () => {
  it('mid-embedding: the previous index still loads and answers the same; the next update completes', async () => {
    const { dir, passagesFile, before } = await setUp();
    const { stdout, killed } = await run([dir, passagesFile, '', '20'], /^progress \d+\/\d+$/m);
    expect(killed).toBe(true);
    expect(stdout).not.toMatch(/^stage writing/m);

    const survived = await load(dir);
    expect(survived.size).toBe(30);
    expect(await answers(survived)).toBe(before);

    const embedder = new FakeEmbedder();
    const lines: string[] = [];
    const { report, index } = await updateVectorIndex({ dir, embedder, passages: v2, log: (l) => lines.push(l) });
    expect(report).toEqual({ added: 5, changed: 15, removed: 0, unchanged: 15, rebuilt: null });
    expect(lines.join('\n')).toMatch(/stale lock/);
    expect(await answers(await load(dir))).toBe(await answers(index));
    expect(await readdir(dir)).toHaveLength(3);
  });

  it('after the data files, before the manifest: the previous index is intact and orphans are removed later', async () => {
    const { dir, passagesFile, before } = await setUp();
    const { stdout } = await run([dir, passagesFile, 'committing']);
    expect(stdout).toMatch(/^stage committing$/m);
    expect(stdout).not.toMatch(/^done/m);
    // The previous index's three files, and the new data files no manifest names yet.
    expect((await readdir(dir)).filter((f) => !f.startsWith('.')).length).toBeGreaterThan(3);

    expect(await answers(await load(dir))).toBe(before);

    const { report } = await updateVectorIndex({ dir, embedder: new FakeEmbedder(), passages: v2 });
    expect(report.changed).toBe(15);
    expect(await readdir(dir)).toHaveLength(3);
  });

  it('after the manifest, before clean-up: the new index loads; leftovers go at the next update', async () => {
    const { dir, passagesFile } = await setUp();
    const { stdout } = await run([dir, passagesFile, 'cleanup']);
    expect(stdout).toMatch(/^stage cleanup$/m);

    const index = await load(dir);
    expect(index.size).toBe(35);
    const embedder = new FakeEmbedder();
    const queries = await embedder.embedQueries(v2.map((p: IndexablePassage) => p.text));
    v2.forEach((p, i) => expect(index.search(queries[i]!, 1)[0]?.id).toBe(p.id));

    const { report } = await updateVectorIndex({ dir, embedder, passages: v2 });
    expect(report).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: 35 });
    expect(embedder.passageCalls).toHaveLength(0);
    expect(await readdir(dir)).toHaveLength(3);
  });
});
