/**
 * Embedding models on the seed corpus: the project's own model (built from the seeds) and
 * multilingual-e5-small when it is on disk (the Hub's copy, or the one `npm run model:import`
 * writes). Load time, throughput one text per call and in batches of 16, question embedding
 * latency, the seed index build, question → answer latency in lexical and hybrid mode side by
 * side, and the bot's memory and start-up with the model in a fresh process.
 */
import path from 'node:path';
import type { Embedder } from '../../src/core/model/types.js';
import type { Passage } from '../../src/core/types.js';
import { runChildTimed } from './scale.js';
import { measureIndexBuild, type IndexBuildResult } from './index-build.js';
import { measureQueryLatency, type QueryBenchResult } from './query.js';
import { summarize, timed, type LatencySummary, type Progress } from './stats.js';

export interface ModelFigures {
  model: string;
  name: string;
  dimension: number;
  loadMs: number;
  /** One passage per call (what a question costs, or an article of one passage). */
  batch1: { passagesPerSecond: number; latency: LatencySummary };
  /** Batches of 16 (what indexing uses). */
  batch16: { passagesPerSecond: number; seconds: number; passages: number };
  /** Embedding one question (query prefix), not cached. */
  queryEmbedding: LatencySummary;
  seedIndex: IndexBuildResult;
  queries: QueryBenchResult;
  /** The bot with this model in a fresh process on the seeds: start-up to first answer, memory. */
  process: { startMs: number; rssAfterStartBytes: number; maxRssBytes: number };
}

export interface ModelBenchOptions {
  embedder: Embedder;
  loadMs: number;
  /** What EMBEDDING_MODEL would be (a folder). */
  modelPath: string;
  modelsDir: string;
  seedsDir: string;
  passages: readonly Passage[];
  questions: readonly string[];
  /** Timing budget per throughput measurement. */
  seconds: number;
  repetitions: number;
  tmp: string;
  progress: Progress;
}

export async function benchModel(o: ModelBenchOptions): Promise<ModelFigures> {
  const { embedder } = o;
  const texts = o.passages.map((p) => p.text);
  o.progress(`${embedder.name}: embedding one passage per call for ~${o.seconds} s`);
  await embedder.embedPassages(texts.slice(0, 4));
  const single: number[] = [];
  for (let elapsed = 0, i = 0; elapsed < o.seconds * 1000 || single.length < 10; i++) {
    const t = await timed(() => embedder.embedPassages([texts[i % texts.length]!]));
    single.push(t.ms);
    elapsed += t.ms;
  }
  o.progress(`${embedder.name}: embedding the ${texts.length} seed passages in batches of 16 for ~${o.seconds} s`);
  let seconds = 0;
  let passages = 0;
  while (seconds < o.seconds || passages === 0) {
    const t = await timed(() => embedder.embedPassages([...texts]));
    seconds += t.ms / 1000;
    passages += texts.length;
  }
  o.progress(`${embedder.name}: embedding ${o.questions.length} questions one at a time`);
  const queryMs: number[] = [];
  for (const q of o.questions) queryMs.push((await timed(() => embedder.embedQueries([q]))).ms);

  o.progress(`${embedder.name}: building the vector index of the seeds`);
  const seedIndex = await measureIndexBuild(path.join(o.tmp, 'seed-index'), embedder, o.passages);
  const queries = await measureQueryLatency({
    seedsDir: o.seedsDir,
    modelsDir: o.modelsDir,
    modelDir: o.modelPath,
    embeddingsDir: path.join(o.tmp, 'engine'),
    questions: o.questions,
    repetitions: o.repetitions,
    progress: o.progress,
  });
  o.progress(`${embedder.name}: the bot in a fresh process (start-up to first answer, memory)`);
  const child = await runChildTimed({
    seedsDir: o.seedsDir,
    embeddingsDir: path.join(o.tmp, 'engine'),
    mode: 'hybrid',
    model: o.modelPath,
    modelsDir: o.modelsDir,
    first: o.questions[0] ?? 'Qui ?',
    questions: [],
    warmPasses: 0,
  });
  return {
    model: embedder.modelId,
    name: embedder.name,
    dimension: embedder.dimension,
    loadMs: o.loadMs,
    batch1: { passagesPerSecond: single.length / (single.reduce((a, b) => a + b, 0) / 1000), latency: summarize(single) },
    batch16: { passagesPerSecond: passages / seconds, seconds, passages },
    queryEmbedding: summarize(queryMs),
    seedIndex,
    queries,
    process: { startMs: child.wallMs, rssAfterStartBytes: child.result.rssAfterStartBytes, maxRssBytes: child.result.maxRssBytes },
  };
}
