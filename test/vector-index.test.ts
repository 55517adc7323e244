import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatReport } from '../src/core/store/shared/index-report.js';
import {
  loadVectorIndex,
  updateVectorIndex,
  type IndexablePassage,
  type VectorIndex,
} from '../src/core/store/files/vector-index/index.js';
import { decodeTable, encodeTable, type Table } from '../src/core/store/files/vector-index/table.js';
import { FakeEmbedder, corpus, passage, randomCorpus, rng, sentence } from './fixtures/vector-index-fakes.js';

const roots: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vector-index-'));
  roots.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(roots.map((d) => rm(d, { recursive: true, force: true })));
});

const EXPECT = { modelId: 'fake-a', dimension: 64 };

interface RawManifest {
  buildId: string;
  segments: { name: string; count: number }[];
  table: { name: string; bytes: number; sha256: string; passages: number };
  graph: { name: string; nodes: number; capacity: number } | null;
  checksum?: string;
  [k: string]: unknown;
}

async function readManifest(dir: string): Promise<RawManifest> {
  return JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as RawManifest;
}

/** Rewrites the manifest with a valid checksum, as a buggy or mixed-up writer would. */
async function writeManifest(dir: string, m: RawManifest): Promise<void> {
  const { checksum: _, ...body } = m;
  const checksum = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ ...body, checksum }));
}

async function readTable(dir: string): Promise<Table> {
  const m = await readManifest(dir);
  const t = decodeTable(await readFile(path.join(dir, m.table.name)), m.table.name, m.segments.reduce((n, s) => n + s.count, 0));
  if (typeof t === 'string') throw new Error(t);
  return t;
}

/** Rewrites the table and the manifest's record of it, both with valid checksums. */
async function writeTable(dir: string, t: Table): Promise<void> {
  const m = await readManifest(dir);
  const bytes = encodeTable(t);
  await writeFile(path.join(dir, m.table.name), bytes);
  await writeManifest(dir, { ...m, table: { ...m.table, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') } });
}

/** A graph from the first passage on, inserted as soon as passages are added: the graph paths on a small corpus. */
const WITH_GRAPH = { exactMax: 0, freshMax: 0, deadShare: 0.2 };

async function build(dir: string, passages: IndexablePassage[], embedder = new FakeEmbedder(), graph?: typeof WITH_GRAPH) {
  return updateVectorIndex({ dir, embedder, passages, ...(graph ? { graph } : {}) });
}

/** Every passage, queried by its own text, comes first. */
async function expectFindsEach(index: VectorIndex, passages: IndexablePassage[], embedder = new FakeEmbedder()): Promise<void> {
  const queries = await embedder.embedQueries(passages.map((p) => p.text));
  passages.forEach((p, i) => expect(index.search(queries[i]!, 3)[0]?.id, p.text).toBe(p.id));
}

function loaded(r: Awaited<ReturnType<typeof loadVectorIndex>>): VectorIndex {
  if (!r.ok) throw new Error(`expected a loadable index: ${r.problem}`);
  return r.index;
}

describe('build and load', () => {
  it('gives the same search results after loading, and leaves exactly three files', async () => {
    const dir = await tempDir();
    const passages = corpus(40);
    const { index, report } = await build(dir, passages);
    expect(report).toEqual({ added: 40, changed: 0, removed: 0, unchanged: 0, rebuilt: null });
    expect(index.size).toBe(40);

    const again = loaded(await loadVectorIndex(dir, EXPECT));
    expect(again).toMatchObject({ modelId: 'fake-a', dimension: 64, prefixScheme: 'e5', size: 40, builtAt: index.builtAt });
    const embedder = new FakeEmbedder();
    const queries = await embedder.embedQueries(['lateba', ...passages.slice(0, 10).map((p) => p.sentences[1]!)]);
    for (const q of queries) expect(again.search(q, 8)).toEqual(index.search(q, 8));
    await expectFindsEach(again, passages);

    // Below the exact-search size there is no graph: manifest, passage table, vectors.
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(3);
    expect(files[0]).toBe('manifest.json');
    expect(files[1]).toMatch(/^table-[\w-]+\.bin$/);
    expect(files[2]).toMatch(/^vectors-[\w-]+\.bin$/);
  });

  it('with a graph, gives the same results after loading and adds the graph file', async () => {
    const dir = await tempDir();
    const passages = corpus(40, 'g');
    const { index } = await build(dir, passages, new FakeEmbedder(), WITH_GRAPH);
    const again = loaded(await loadVectorIndex(dir, EXPECT));
    const queries = await new FakeEmbedder().embedQueries(passages.slice(0, 10).map((p) => p.sentences[1]!));
    for (const q of queries) expect(again.search(q, 8)).toEqual(index.search(q, 8));
    await expectFindsEach(again, passages);
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(4);
    expect(files[0]).toMatch(/^graph-[\w-]+\.hnsw$/);
    expect((await readManifest(dir)).graph?.nodes).toBe(40);
  });

  it('handles k larger than the index, k of 0, and an empty corpus', async () => {
    const dir = await tempDir();
    const { index } = await build(dir, corpus(4));
    const [q] = await new FakeEmbedder().embedQueries(['x']);
    expect(index.search(q!, 50)).toHaveLength(4);
    expect(index.search(q!, 0)).toEqual([]);
    const { index: empty, report } = await build(dir, []);
    expect(report.removed).toBe(4);
    expect(empty.size).toBe(0);
    expect(empty.search(q!, 5)).toEqual([]);
    expect(loaded(await loadVectorIndex(dir, EXPECT)).size).toBe(0);
  });

  it('keeps sentence and passage vectors retrievable after load', async () => {
    const dir = await tempDir();
    const passages = corpus(12);
    await build(dir, passages);
    const index = loaded(await loadVectorIndex(dir, EXPECT));
    const embedder = new FakeEmbedder();
    for (const p of passages) {
      for (const s of p.sentences) {
        const v = index.sentenceVector(s);
        expect(v).toBeDefined();
        embedder.vector(s).forEach((x, i) => expect(v![i]).toBeCloseTo(x, 6));
      }
      const pv = index.passageVector(p.id)!;
      embedder.vector(p.text).forEach((x, i) => expect(pv[i]).toBeCloseTo(x, 6));
    }
    expect(index.sentenceVector('Jamais vue.')).toBeUndefined();
    expect(index.passageVector('nope')).toBeUndefined();
  });
});

describe('incremental update', () => {
  it('embeds only new and changed texts and counts them', async () => {
    const dir = await tempDir();
    const before = corpus(30);
    await build(dir, before);

    const target = before[5]!;
    const changed = passage(target.key, [target.sentences[0]!, 'Une phrase toute neuve sur le budget.', ...target.sentences.slice(2)]);
    const added = passage('art99:0', [sentence('new-1'), sentence('new-2')]);
    const removed = before[17]!;
    const after = [...before.slice(0, 5), changed, ...before.slice(6, 17), ...before.slice(18), added];

    const embedder = new FakeEmbedder();
    const { index, report } = await updateVectorIndex({ dir, embedder, passages: after });
    expect(report).toEqual({ added: 1, changed: 1, removed: 1, unchanged: 28, rebuilt: null });
    expect(formatReport(report)).toBe('1 new, 1 changed, 1 removed, 28 unchanged');
    // One call; the changed passage's unchanged sentences come from the store.
    expect(embedder.passageCalls).toHaveLength(1);
    expect(embedder.embeddedTexts.sort()).toEqual(
      [changed.text, 'Une phrase toute neuve sur le budget.', added.text, ...added.sentences].sort(),
    );

    const reloaded = loaded(await loadVectorIndex(dir, EXPECT));
    for (const ix of [index, reloaded]) {
      expect(ix.size).toBe(30);
      await expectFindsEach(ix, after);
      const [q] = await embedder.embedQueries([removed.text]);
      expect(ix.search(q!, 30).map((r) => r.id)).not.toContain(removed.id);
      expect(ix.search(q!, 30).map((r) => r.id)).not.toContain(target.id);
      expect(ix.passageVector(removed.id)).toBeUndefined();
      expect(ix.sentenceVector(removed.sentences[0]!)).toBeUndefined();
    }
  });

  it('adding passages writes a new vectors file and leaves the existing ones as they are', async () => {
    const dir = await tempDir();
    const all = corpus(30, 'seg');
    await build(dir, all.slice(0, 25));
    const before = await readManifest(dir);
    const first = await readFile(path.join(dir, before.segments[0]!.name));
    const embedder = new FakeEmbedder();
    const { report, index } = await updateVectorIndex({ dir, embedder, passages: all });
    expect(report).toMatchObject({ added: 5, unchanged: 25 });
    const after = await readManifest(dir);
    expect(after.segments.map((x) => x.name)).toEqual([before.segments[0]!.name, expect.stringMatching(/^vectors-[\w-]+\.bin$/)]);
    // Only the new texts are in the new file; the old one is byte for byte the same.
    expect(after.segments[1]!.count).toBe(embedder.embeddedTexts.length);
    expect(await readFile(path.join(dir, after.segments[0]!.name))).toEqual(first);
    await expectFindsEach(index, all);
    await expectFindsEach(loaded(await loadVectorIndex(dir, EXPECT)), all);
  });

  it('merges the vectors files into one once many of their vectors are unused', async () => {
    const dir = await tempDir();
    await build(dir, corpus(20, 'old'));
    const lines: string[] = [];
    const now = corpus(20, 'new');
    const { index } = await updateVectorIndex({ dir, embedder: new FakeEmbedder(), passages: now, log: (l) => lines.push(l) });
    expect(lines.join('\n')).toMatch(/merging them into one/);
    const m = await readManifest(dir);
    expect(m.segments).toHaveLength(1);
    expect(m.segments[0]!.count).toBe(new Set(now.flatMap((p) => [p.text, ...p.sentences])).size);
    await expectFindsEach(index, now);
    await expectFindsEach(loaded(await loadVectorIndex(dir, EXPECT)), now);
  });

  it('does nothing, and writes nothing, when the corpus is unchanged', async () => {
    const dir = await tempDir();
    const passages = corpus(10);
    await build(dir, passages);
    const manifestBefore = await readFile(path.join(dir, 'manifest.json'), 'utf8');
    const embedder = new FakeEmbedder();
    const { report } = await updateVectorIndex({ dir, embedder, passages });
    expect(formatReport(report)).toBe('0 new, 0 changed, 0 removed, 10 unchanged');
    expect(embedder.passageCalls).toHaveLength(0);
    expect(await readFile(path.join(dir, 'manifest.json'), 'utf8')).toBe(manifestBefore);
  });

  it('counts a passage that only moved (same id and text, new key) as unchanged', async () => {
    const dir = await tempDir();
    const passages = corpus(6);
    await build(dir, passages);
    const moved = passages.map((p, i) => (i === 2 ? { ...p, key: 'art7:3' } : p));
    const embedder = new FakeEmbedder();
    const { report, index } = await updateVectorIndex({ dir, embedder, passages: moved });
    expect(report).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: 6 });
    expect(embedder.passageCalls).toHaveLength(0);
    expect((await readTable(dir)).entries.find((e) => e.id === passages[2]!.id)?.key).toBe('art7:3');
    await expectFindsEach(index, moved);
  });

  it('resizes the graph past its capacity', async () => {
    const dir = await tempDir();
    const all = corpus(70, 'grow');
    await build(dir, all.slice(0, 5), new FakeEmbedder(), WITH_GRAPH);
    const capacity = (await readManifest(dir)).graph!.capacity;
    expect(capacity).toBeLessThan(70);
    const firstRows = (await readTable(dir)).nodeRows.slice(0, 5);

    const { report, index } = await build(dir, all, new FakeEmbedder(), WITH_GRAPH);
    expect(report).toEqual({ added: 65, changed: 0, removed: 0, unchanged: 5, rebuilt: null });
    const m = await readManifest(dir);
    expect(m.graph!.capacity).toBeGreaterThanOrEqual(70);
    // Extended, not rebuilt: the first five nodes kept their labels.
    expect((await readTable(dir)).nodeRows.slice(0, 5)).toEqual(firstRows);
    await expectFindsEach(index, all);
    await expectFindsEach(loaded(await loadVectorIndex(dir, EXPECT)), all);
  });

  it('searches passages added since the graph was extended exactly, next to it, without writing the graph', async () => {
    const dir = await tempDir();
    const all = corpus(45, 'fresh');
    await build(dir, all.slice(0, 40), new FakeEmbedder(), { ...WITH_GRAPH, freshMax: 10 });
    const graphBefore = (await readManifest(dir)).graph!.name;
    const { index } = await build(dir, all, new FakeEmbedder(), { ...WITH_GRAPH, freshMax: 10 });
    const m = await readManifest(dir);
    expect(m.graph!.name).toBe(graphBefore);
    expect(m.graph!.nodes).toBe(40);
    await expectFindsEach(index, all);
    await expectFindsEach(loaded(await loadVectorIndex(dir, EXPECT)), all);
  });

  it('leaves a few deleted passages in the graph and rebuilds it from stored vectors after many', async () => {
    const dir = await tempDir();
    const all = corpus(40, 'del');
    await build(dir, all, new FakeEmbedder(), WITH_GRAPH);
    const graphBefore = (await readManifest(dir)).graph!.name;

    const fewer = all.filter((_, i) => i !== 3);
    const { index: afterOne } = await build(dir, fewer, new FakeEmbedder(), WITH_GRAPH);
    expect((await readManifest(dir)).graph!.name).toBe(graphBefore);
    const [q] = await new FakeEmbedder().embedQueries([all[3]!.text]);
    expect(afterOne.search(q!, 40).map((r) => r.id)).not.toContain(all[3]!.id);

    const lines: string[] = [];
    const embedder = new FakeEmbedder();
    const half = fewer.slice(0, 20);
    const { report, index } = await updateVectorIndex({ dir, embedder, passages: half, log: (l) => lines.push(l), graph: WITH_GRAPH });
    expect(report).toEqual({ added: 0, changed: 0, removed: 19, unchanged: 20, rebuilt: null });
    expect(embedder.passageCalls).toHaveLength(0);
    expect(lines.join('\n')).toMatch(/rebuilding the graph/);
    expect((await readManifest(dir)).graph!.nodes).toBe(20);
    await expectFindsEach(index, half);
    await expectFindsEach(loaded(await loadVectorIndex(dir, EXPECT)), half);
  });

  it('drops the graph when the corpus shrinks below the exact-search size', async () => {
    const dir = await tempDir();
    const all = corpus(30, 'shrink');
    await build(dir, all, new FakeEmbedder(), { ...WITH_GRAPH, exactMax: 10 });
    expect((await readManifest(dir)).graph).not.toBeNull();
    const { index } = await build(dir, all.slice(0, 8), new FakeEmbedder(), { ...WITH_GRAPH, exactMax: 10 });
    expect((await readManifest(dir)).graph).toBeNull();
    expect((await readdir(dir)).some((f) => f.endsWith('.hnsw'))).toBe(false);
    await expectFindsEach(index, all.slice(0, 8));
  });
});

describe('model changes', () => {
  it('rebuilds everything when the model id changes', async () => {
    const dir = await tempDir();
    const passages = corpus(15);
    await build(dir, passages);
    const b = new FakeEmbedder({ modelId: 'fake-b' });
    const lines: string[] = [];
    const { report, index } = await updateVectorIndex({ dir, embedder: b, passages, log: (l) => lines.push(l) });
    expect(report).toEqual({ added: 15, changed: 0, removed: 0, unchanged: 0, rebuilt: 'model changed: fake-a → fake-b' });
    expect(formatReport(report)).toBe('15 new, 0 changed, 0 removed, 0 unchanged (rebuilt: model changed: fake-a → fake-b)');
    // The reason is in the report for the caller to say once; the library does not log it too.
    expect(lines.some((l) => l.includes('model changed'))).toBe(false);
    await expectFindsEach(index, passages, b);

    const old = await loadVectorIndex(dir, EXPECT);
    expect(old.ok).toBe(false);
    if (!old.ok) expect(old.problem).toMatch(/^built with another model: index has fake-b .* expected fake-a/);
    await expectFindsEach(loaded(await loadVectorIndex(dir, { modelId: 'fake-b', dimension: 64 })), passages, b);
    expect((await readdir(dir)).length).toBe(3);
  });

  it('rebuilds when the dimension or the prefix scheme changes', async () => {
    const dir = await tempDir();
    const passages = corpus(8);
    await build(dir, passages);
    const narrow = new FakeEmbedder({ dimension: 32 });
    const r1 = await updateVectorIndex({ dir, embedder: narrow, passages });
    expect(r1.report.rebuilt).toBe('dimension changed: 64 → 32');
    expect(r1.index.dimension).toBe(32);
    await expectFindsEach(r1.index, passages, narrow);
    const bad = await loadVectorIndex(dir, EXPECT);
    expect(bad.ok || bad.problem).toMatch(/built with another model/);

    const plain = new FakeEmbedder({ dimension: 32, prefix: { name: 'none', query: '', passage: '' } });
    const r2 = await updateVectorIndex({ dir, embedder: plain, passages });
    expect(r2.report.rebuilt).toBe('prefix scheme changed: e5 → none');
    const wrongPrefix = await loadVectorIndex(dir, { modelId: 'fake-a', dimension: 32, prefixScheme: 'e5' });
    expect(wrongPrefix.ok).toBe(false);
    expect(loaded(await loadVectorIndex(dir, { modelId: 'fake-a', dimension: 32, prefixScheme: 'none' })).prefixScheme).toBe('none');
  });
});

describe('damaged index', () => {
  const passages = corpus(30, 'dmg');

  /** Builds (with a graph), damages, checks load fails with `problem`, then checks an update repairs it. */
  async function damaged(
    damage: (dir: string, m: RawManifest) => Promise<void>,
    problem: RegExp,
    reembeds: boolean,
  ): Promise<void> {
    const dir = await tempDir();
    await build(dir, passages, new FakeEmbedder(), WITH_GRAPH);
    await damage(dir, await readManifest(dir));

    const result = await loadVectorIndex(dir, EXPECT);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toMatch(problem);
      expect(result.problem).not.toContain('\n');
    }

    const embedder = new FakeEmbedder();
    const { report, index } = await updateVectorIndex({ dir, embedder, passages, graph: WITH_GRAPH });
    expect(report.rebuilt).toMatch(problem);
    expect(embedder.passageCalls.length > 0).toBe(reembeds);
    await expectFindsEach(index, passages);
    await expectFindsEach(loaded(await loadVectorIndex(dir, EXPECT)), passages);
    expect((await readdir(dir)).length).toBe(4);
  }

  it('garbage in the graph file: graph rebuilt from stored vectors', async () => {
    await damaged(
      async (dir, m) => {
        const size = (await stat(path.join(dir, m.graph!.name))).size;
        const next = rng(7);
        await writeFile(path.join(dir, m.graph!.name), Buffer.from(Array.from({ length: size }, () => Math.floor(next() * 256))));
      },
      /^corrupt: graph-[\w-]+\.hnsw does not match its checksum/,
      false,
    );
  });

  it('truncated vector store: everything re-embedded', async () => {
    await damaged(
      async (dir, m) => truncate(path.join(dir, m.segments[0]!.name), 1000),
      /^truncated: vectors-[\w-]+\.bin has 1000 bytes/,
      true,
    );
  });

  it('missing graph file', async () => {
    await damaged(async (dir, m) => unlink(path.join(dir, m.graph!.name)), /^missing: graph-[\w-]+\.hnsw/, false);
  });

  it('missing passage table: rebuilt from stored vectors', async () => {
    await damaged(async (dir, m) => unlink(path.join(dir, m.table.name)), /^missing: table-[\w-]+\.bin/, false);
  });

  it('missing manifest next to data files', async () => {
    await damaged(async (dir) => unlink(path.join(dir, 'manifest.json')), /^missing: manifest\.json is gone/, true);
  });

  it('truncated manifest', async () => {
    await damaged(
      async (dir) => truncate(path.join(dir, 'manifest.json'), 200),
      /^corrupt: manifest\.json is not valid JSON/,
      true,
    );
  });

  it('hand-edited manifest', async () => {
    await damaged(
      async (dir) => {
        const text = await readFile(path.join(dir, 'manifest.json'), 'utf8');
        await writeFile(path.join(dir, 'manifest.json'), text.replace('"e5"', '"e6"'));
      },
      /^corrupt: manifest\.json fails its own checksum/,
      true,
    );
  });

  it('passage table whose graph labels do not match the graph', async () => {
    await damaged(
      async (dir) => {
        const t = await readTable(dir);
        const rows = Uint32Array.from(t.nodeRows);
        [rows[0], rows[1]] = [rows[1]!, rows[0]!];
        await writeTable(dir, { ...t, nodeRows: rows });
      },
      /^manifest does not match graph-[\w-]+\.hnsw: label \d+ holds another vector/,
      false,
    );
  });

  it('manifest that counts more graph elements than the file has', async () => {
    await damaged(
      async (dir, m) => writeManifest(dir, { ...m, graph: { ...m.graph!, nodes: m.graph!.nodes + 1 } }),
      /^manifest does not match graph-[\w-]+\.hnsw: graph holds 30 elements, the manifest says 31/,
      false,
    );
  });

  it('graph file from another build', async () => {
    const other = await tempDir();
    await build(other, corpus(31, 'other'), new FakeEmbedder(), WITH_GRAPH);
    await damaged(
      async (dir, m) => {
        const foreign = (await readManifest(other)).graph!.name;
        await writeFile(path.join(dir, m.graph!.name), await readFile(path.join(other, foreign)));
      },
      /graph-[\w-]+\.hnsw/,
      false,
    );
  });

  it('a leftover lock of a dead process does not block an update', async () => {
    const dir = await tempDir();
    await build(dir, passages.slice(0, 3));
    await writeFile(path.join(dir, '.lock'), '999999\n');
    const { report } = await build(dir, passages.slice(0, 4));
    expect(report.added).toBe(1);
    expect(await readdir(dir)).not.toContain('.lock');
  });
});

describe('search quality and concurrency', () => {
  it.each([
    ['exact search', undefined],
    ['HNSW', WITH_GRAPH],
  ] as const)('%s: top-10 equals brute-force top-10 over 300 vectors', async (_, graph) => {
    const dir = await tempDir();
    const passages = randomCorpus(300);
    await build(dir, passages, new FakeEmbedder(), graph);
    const index = loaded(await loadVectorIndex(dir, EXPECT));
    const stored = passages.map((p) => ({ id: p.id, v: index.passageVector(p.id)! }));
    const queries = await new FakeEmbedder().embedQueries(Array.from({ length: 30 }, (_, i) => `rand:query-${i}`));
    for (const q of queries) {
      const brute = stored
        .map(({ id, v }) => ({ id, score: v.reduce((s, x, i) => s + x * q[i]!, 0) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 10);
      const hits = index.search(q, 10);
      expect(hits.map((h) => h.id)).toEqual(brute.map((b) => b.id));
      hits.forEach((h, i) => expect(h.score).toBeCloseTo(brute[i]!.score, 5));
    }
  });

  it('serialises two concurrent updates of one folder', async () => {
    const dir = await tempDir();
    const passages = corpus(10, 'conc');
    const [a, b] = await Promise.all([build(dir, passages.slice(0, 6)), build(dir, passages)]);
    expect(a.report.added + b.report.added).toBeGreaterThanOrEqual(10);
    const index = loaded(await loadVectorIndex(dir, EXPECT));
    expect([6, 10]).toContain(index.size);
    // No leftovers: every file is the manifest or named by it.
    const m = await readManifest(dir);
    expect((await readdir(dir)).sort()).toEqual(['manifest.json', m.table.name, ...m.segments.map((x) => x.name)].sort());
  });
});

describe('reusing what this process already holds', () => {
  it('an update given the previous index gives what one reading the folder gives, and notices a folder changed by another writer', async () => {
    const dir = await tempDir();
    const all = corpus(50, 'reuse');
    const { index: first } = await build(dir, all.slice(0, 40), new FakeEmbedder(), WITH_GRAPH);
    const policy = { ...WITH_GRAPH, freshMax: 20 };
    const reused = await updateVectorIndex({ dir, embedder: new FakeEmbedder(), passages: all.slice(0, 45), previous: first, graph: policy });
    expect(reused.report).toMatchObject({ added: 5, unchanged: 40 });
    await expectFindsEach(reused.index, all.slice(0, 45));
    await expectFindsEach(loaded(await loadVectorIndex(dir, EXPECT)), all.slice(0, 45));

    // Another writer changes the folder: the stale previous index must not be trusted.
    await updateVectorIndex({ dir, embedder: new FakeEmbedder(), passages: all.slice(10, 50), graph: policy });
    const after = await updateVectorIndex({ dir, embedder: new FakeEmbedder(), passages: all.slice(10, 50), previous: reused.index, graph: policy });
    expect(after.report).toMatchObject({ added: 0, removed: 0, unchanged: 40, rebuilt: null });
    await expectFindsEach(after.index, all.slice(10, 50));
  });

  it('a folder read ahead (prepareVectorIndex) is used for the same model and ignored for another', async () => {
    const { prepareVectorIndex } = await import('../src/core/store/files/vector-index/index.js');
    const dir = await tempDir();
    const passages = corpus(20, 'prep');
    await build(dir, passages);
    const prepared = prepareVectorIndex(dir);
    const same = await updateVectorIndex({ dir, embedder: new FakeEmbedder(), passages, prepared });
    expect(same.report).toMatchObject({ unchanged: 20, rebuilt: null });
    await expectFindsEach(same.index, passages);
    const other = new FakeEmbedder({ modelId: 'fake-b' });
    const switched = await updateVectorIndex({ dir, embedder: other, passages, prepared: prepareVectorIndex(dir) });
    expect(switched.report.rebuilt).toBe('model changed: fake-a → fake-b');
    await expectFindsEach(switched.index, passages, other);
  });
});
