/**
 * The bot at news scale: a generated corpus of a given size (corpus/generate.ts) indexed, started
 * and questioned as users would, each start in its own process (child.ts), with the same corpus
 * through plain MiniSearch (defaults) and brute-force cosine as the baselines.
 */
import { spawn } from 'node:child_process';
import { readdir, stat, unlink, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { loadConfig } from '../../src/config.js';
import { createEngine } from '../../src/engine/index.js';
import type { Article, Passage } from '../../src/core/types.js';
import { TEXT_DIR, TextStore } from '../../src/core/store/files/text-store.js';
import { inspect } from '../../src/core/store/files/vector-index/inspect.js';
import { makeIndex } from '../../src/core/store/files/vector-index/search.js';
import { GRAPH_POLICY, SEARCH_EF } from '../../src/core/store/files/vector-index/index.js';
import { BENCH_EMBEDDER_ID, BenchEmbedder } from './bench-embedder.js';
import type { ChildOptions, ChildResult } from './child.js';
import { generateCorpus, type GeneratedFile } from './corpus/generate.js';
import { generateQuestions } from './corpus/questions.js';
import { compileTree, DIST } from '../../src/launch.mjs';
import { summarize, timed, type LatencySummary, type Progress } from './stats.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Compiled as `npm start` runs the bot (src/launch.mjs), so that start-up is measured as users get it.
const CHILD = path.join(REPO, DIST, 'tools', 'bench', 'child.js');

export interface ScaleOptions {
  passages: number;
  seed: number;
  /** Temporary folder for this size's corpus and indexes. */
  dir: string;
  sources: readonly Article[];
  originals: readonly GeneratedFile[];
  /** Questions asked at every size (the evaluation set); generated ones are added per corpus. */
  evalQuestions: readonly string[];
  generatedQuestions: number;
  warmPasses: number;
  /** Start-ups timed per mode (the median is reported). */
  starts: number;
  /** Search `ef` values tried when the index has a graph. */
  efValues: readonly number[];
  /** A real model folder (e5) to also time start-ups with, loaded beside the stand-in (child.ts). */
  realModel?: { dir: string; name: string };
  progress: Progress;
}

export interface StartFigures {
  /** Wall time from spawning the process to its first answer, median over the starts. */
  wallMs: number;
  wallAllMs: number[];
  rssAfterStartBytes: number;
  maxRssBytes: number;
  cold: LatencySummary;
  warm: LatencySummary;
  answeredShare: number;
}

export interface DenseFigures {
  kind: 'exact' | 'hnsw';
  /** Distinct passage vectors (passages with the same text share one). */
  vectors: number;
  ef: number | null;
  /** Share of the exact top 10 (ties included) that the index returned. */
  recallAt10: number;
  /** The same, counting only the exact ids (ties between equal vectors broken arbitrarily). */
  strictRecallAt10: number;
  /**
   * ann-benchmarks' definition: a result counts when its distance is within 0.001 of the 10th
   * exact one (its default epsilon), so near-ties between near-duplicates are not misses.
   */
  annRecallAt10: number;
  latencyK10: LatencySummary;
  latencyK20: LatencySummary;
  bruteForce: LatencySummary;
  efSweep: { ef: number; recallAt10: number; annRecallAt10: number; latency: LatencySummary }[];
}

export interface ScaleResult {
  target: number;
  files: number;
  articles: number;
  passages: number;
  textBytes: number;
  questions: number;
  build: { lexicalMs: number; lexicalMaxRssBytes: number; vectorsMs: number; vectorsMaxRssBytes: number; textIndexBytes: number; vectorIndexBytes: number };
  lexical: StartFigures;
  hybrid: StartFigures;
  /** Hybrid start-ups with the real model loaded and embedding every question, when there is one. */
  realModel: (StartFigures & { name: string }) | null;
  dense: DenseFigures;
  add: { files: number; passages: number; reindexMs: number; segmentsBefore: number; segmentsAfter: number; segmentsRewritten: number; graphRewritten: boolean; textWrote: string };
  minisearch: { buildMs: number; search: LatencySummary; oursSearch: LatencySummary };
}

export async function benchScale(o: ScaleOptions): Promise<ScaleResult> {
  const seeds = path.join(o.dir, 'seeds');
  const emb = path.join(o.dir, 'embeddings');
  await mkdir(seeds, { recursive: true });
  o.progress(`scale ${o.passages}: generating the corpus`);
  const corpus = generateCorpus({ seed: o.seed, passages: o.passages, sources: o.sources, originals: o.originals });
  // One more article, kept back to be added at the end.
  const extra = generateCorpus({ seed: o.seed + 1, passages: 8, sources: o.sources }).files[0]!;
  for (const f of corpus.files) await writeFile(path.join(seeds, f.name), f.text);
  const textBytes = corpus.files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);

  o.progress(`scale ${o.passages}: building the text index (${corpus.files.length} files) in a fresh process`);
  const lexicalBuild = await runChild({ seedsDir: seeds, embeddingsDir: emb, mode: 'lexical', first: 'Qui ?', questions: [], warmPasses: 0 });
  o.progress(`scale ${o.passages}: building the vector index (stand-in embedder) in a fresh process`);
  const vectorBuild = await runChild({ seedsDir: seeds, embeddingsDir: emb, mode: 'hybrid', first: 'Qui ?', questions: [], warmPasses: 0 });

  // The questions: the evaluation's, and some about this corpus.
  const engine = await createEngine(loadConfig({ SEEDS_DIR: seeds, EMBEDDINGS_DIR: emb, EMBEDDING_MODEL: '/nonexistent', OFFLINE: '1' }), {
    log: { info: () => {}, warn: () => {} },
    embedder: new BenchEmbedder(),
  });
  const passages = engine.corpus.passages;
  const questions = [...o.evalQuestions, ...generateQuestions(passages, o.generatedQuestions, o.seed)];

  const starts = async (mode: 'lexical' | 'hybrid', besideModel?: string): Promise<StartFigures> => {
    const runs: { wall: number; r: ChildResult }[] = [];
    for (let i = 0; i < o.starts; i++) {
      o.progress(`scale ${o.passages}: ${mode}${besideModel ? ' with the real model' : ''} start ${i + 1}/${o.starts}${i === 0 ? `, then ${questions.length} questions cold and ${o.warmPasses} warm passes` : ''}`);
      const first = questions[(i * 7) % questions.length]!;
      const { wallMs, result } = await runChildTimed({ seedsDir: seeds, embeddingsDir: emb, mode, first, questions: i === 0 ? questions : [], warmPasses: i === 0 ? o.warmPasses : 0, ...(besideModel ? { besideModel } : {}) });
      runs.push({ wall: wallMs, r: result });
    }
    const main = runs[0]!.r;
    const walls = runs.map((x) => x.wall).sort((a, b) => a - b);
    return {
      wallMs: walls[Math.floor(walls.length / 2)]!,
      wallAllMs: runs.map((x) => x.wall),
      rssAfterStartBytes: main.rssAfterStartBytes,
      maxRssBytes: Math.max(...runs.map((x) => x.r.maxRssBytes)),
      cold: summarize(main.cold),
      warm: summarize(main.warm),
      answeredShare: main.cold.length ? main.answered / main.cold.length : 0,
    };
  };
  const lexical = await starts('lexical');
  const hybrid = await starts('hybrid');
  const realModel = o.realModel ? { name: o.realModel.name, ...(await starts('hybrid', o.realModel.dir)) } : null;

  o.progress(`scale ${o.passages}: dense search against exact search`);
  const dense = await denseFigures(emb, passages, questions, o.efValues);

  o.progress(`scale ${o.passages}: MiniSearch with its defaults, and our lexical search, on the same passages`);
  const text = await TextStore.open({ dir: path.join(emb, TEXT_DIR), seedsDir: seeds });
  const lexicalIndex = text.store.index.lexical;
  const minisearch = await miniSearchFigures(passages, questions.slice(0, o.passages >= 50_000 ? 60 : questions.length), (q) => void lexicalIndex.search(q, 20));

  o.progress(`scale ${o.passages}: adding one article, in a running bot (a fresh process: started, one question, the article, a re-index)`);
  const segmentsBefore = await segmentFiles(emb);
  const graphBefore = (await readdir(emb)).filter((f) => f.endsWith('.hnsw'));
  const addFile = `zz-added-${extra.name}`;
  const addRun = await runChild({ seedsDir: seeds, embeddingsDir: emb, mode: 'hybrid', first: questions[0]!, questions: [], warmPasses: 0, add: { file: addFile, text: extra.text } });
  const segmentsAfter = await segmentFiles(emb);
  const graphAfter = (await readdir(emb)).filter((f) => f.endsWith('.hnsw'));
  const rewritten = [...segmentsBefore].filter(([name, size]) => segmentsAfter.get(name) !== size).length;
  await unlink(path.join(seeds, addFile));

  return {
    target: o.passages,
    files: corpus.files.length,
    articles: corpus.articles,
    passages: passages.length,
    textBytes,
    questions: questions.length,
    build: {
      lexicalMs: lexicalBuild.engineMs,
      lexicalMaxRssBytes: lexicalBuild.maxRssBytes,
      vectorsMs: vectorBuild.engineMs,
      vectorsMaxRssBytes: vectorBuild.maxRssBytes,
      textIndexBytes: await folderBytes(path.join(emb, TEXT_DIR)),
      vectorIndexBytes: await folderBytes(emb),
    },
    lexical,
    hybrid,
    realModel,
    dense,
    add: {
      files: 1,
      passages: addRun.added!.passagesAfter - addRun.added!.passagesBefore,
      reindexMs: addRun.added!.reindexMs,
      segmentsBefore: segmentsBefore.size,
      segmentsAfter: segmentsAfter.size,
      segmentsRewritten: rewritten,
      graphRewritten: graphBefore.join() !== graphAfter.join(),
      textWrote: 'delta',
    },
    minisearch,
  };
}

async function segmentFiles(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const f of await readdir(dir)) if (/^vectors-.*\.bin$/u.test(f)) out.set(f, (await stat(path.join(dir, f))).mtimeMs);
  return out;
}

async function folderBytes(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) if (e.isFile()) n += (await stat(path.join(dir, e.name))).size;
  return n;
}

const ANN_BENCHMARKS_EPSILON = 1e-3;

/** Recall and latency of the index's dense search against an exact scan of the same vectors. */
async function denseFigures(emb: string, passages: readonly Passage[], questions: readonly string[], efValues: readonly number[]): Promise<DenseFigures> {
  const embedder = new BenchEmbedder();
  const found = await inspect(emb, { modelId: BENCH_EMBEDDER_ID, dimension: embedder.dimension });
  if (!found.manifest || !found.store || !found.table) throw new Error(`the benchmark's vector index does not load: ${found.problem}`);
  const m = found.manifest;
  const facts = { modelId: m.modelId, dimension: m.dimension, prefixScheme: m.prefix.name, builtAt: m.builtAt };
  const index = makeIndex(facts, found.store, found.table, found.graph);
  const dim = embedder.dimension;
  // Exact search over every live passage's vector.
  const ids = passages.map((p) => p.id);
  const matrix = new Float32Array(ids.length * dim);
  ids.forEach((id, i) => matrix.set(index.passageVector(id) ?? new Float32Array(dim), i * dim));
  const queries = (await embedder.embedQueries([...questions])).map((q) => Float32Array.from(q));
  const bruteMs: number[] = [];
  const exact: { scores: Float32Array; top: Set<string>; tenth: number }[] = [];
  for (const q of queries) {
    const t = performance.now();
    const scores = new Float32Array(ids.length);
    for (let i = 0, off = 0; i < ids.length; i++, off += dim) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += matrix[off + j]! * q[j]!;
      scores[i] = s;
    }
    const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!).slice(0, 10);
    bruteMs.push(performance.now() - t);
    exact.push({ scores, top: new Set(order.map((i) => ids[i]!)), tenth: scores[order[order.length - 1]!]! });
  }
  const position = new Map(ids.map((id, i) => [id, i]));
  const recallOf = (search: (q: number[], k: number) => { id: string }[]): { recall: number; strict: number; ann: number; k10: number[]; k20: number[] } => {
    let ann = 0;
    let recall = 0;
    let strict = 0;
    const k10: number[] = [];
    const k20: number[] = [];
    queries.forEach((q, qi) => {
      const arr = Array.from(q);
      let t = performance.now();
      const got = search(arr, 10);
      k10.push(performance.now() - t);
      t = performance.now();
      search(arr, 20);
      k20.push(performance.now() - t);
      const e = exact[qi]!;
      recall += got.filter((g) => e.scores[position.get(g.id)!]! >= e.tenth - 1e-6).length / 10;
      strict += got.filter((g) => e.top.has(g.id)).length / 10;
      ann += got.filter((g) => e.scores[position.get(g.id)!]! >= e.tenth - ANN_BENCHMARKS_EPSILON).length / 10;
    });
    return { recall: recall / queries.length, strict: strict / queries.length, ann: ann / queries.length, k10, k20 };
  };
  const main = recallOf((q, k) => index.search(q, k));
  const efSweep: DenseFigures['efSweep'] = [];
  if (found.graph) {
    for (const ef of efValues) {
      const ix = makeIndex(facts, found.store, found.table, found.graph, ef);
      const r = recallOf((q, k) => ix.search(q, k));
      efSweep.push({ ef, recallAt10: r.recall, annRecallAt10: r.ann, latency: summarize(r.k10) });
    }
  }
  const vectors = new Set(found.table.entries.map((e) => e.row)).size;
  return {
    kind: found.graph ? 'hnsw' : 'exact',
    vectors,
    ef: found.graph ? SEARCH_EF : null,
    recallAt10: main.recall,
    strictRecallAt10: main.strict,
    annRecallAt10: main.ann,
    latencyK10: summarize(main.k10),
    latencyK20: summarize(main.k20),
    bruteForce: summarize(bruteMs),
    efSweep,
  };
}

async function miniSearchFigures(passages: readonly Passage[], questions: readonly string[], ours: (q: string) => void): Promise<ScaleResult['minisearch']> {
  const build = await timed(() => {
    const ms = new MiniSearch<Passage>({ fields: ['text', 'title'], storeFields: [] });
    ms.addAll(passages as Passage[]);
    return ms;
  });
  const ms = build.value;
  const time = (search: (q: string) => void): LatencySummary => {
    for (const q of questions.slice(0, 5)) search(q);
    const out: number[] = [];
    for (const q of questions) {
      const t = performance.now();
      search(q);
      out.push(performance.now() - t);
    }
    return summarize(out);
  };
  return { buildMs: build.ms, search: time((q) => void ms.search(q).slice(0, 20)), oursSearch: time(ours) };
}

function runChild(options: ChildOptions): Promise<ChildResult> {
  return runChildTimed(options).then((r) => r.result);
}

// Once per benchmark process: the sources do not change while it runs.
let compiled: Promise<unknown> | null = null;

/** Runs child.ts, compiled, in a fresh Node process; wall time from spawn to its `first-answer` line. */
export async function runChildTimed(options: ChildOptions): Promise<{ wallMs: number; result: ChildResult }> {
  await (compiled ??= compileTree(['src', 'tools/bench']));
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const proc = spawn(process.execPath, ['--expose-gc', CHILD, JSON.stringify(options)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let wallMs = -1;
    proc.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (wallMs < 0 && stdout.includes('first-answer\n')) wallMs = performance.now() - start;
    });
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) return reject(new Error(`benchmark child failed (${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
      resolve({ wallMs, result: JSON.parse(line) as ChildResult });
    });
  });
}

export { GRAPH_POLICY };
