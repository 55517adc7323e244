/**
 * `npm run bench`: prints how fast the bot's pieces are on this machine (embedding, index build,
 * question → answer, HNSW at 100k vectors) and how much memory they take. It measures and
 * reports; it asserts nothing. Everything runs offline in a temporary folder that is removed
 * afterwards; the bot's own embeddings folder is never read or written.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchHnsw } from '../bench/hnsw.js';
import { buildBenchModel, loadDefaultModelIfPresent, measureThroughput } from '../bench/embedding.js';
import { measureIndexBuild } from '../bench/index-build.js';
import { describeMachine } from '../bench/machine.js';
import { MemoryTracker } from '../bench/memory.js';
import { measureQueryLatency } from '../bench/query.js';
import { formatBench, type BenchResult } from '../bench/report.js';
import { stderrProgress } from '../bench/stats.js';
import { DEFAULT_EMBEDDING_MODEL, loadConfig } from '../config.js';
import { loadCorpus } from '../core/corpus.js';
import { parseQuestions } from '../eval/metrics.js';
import { STATIC_MODEL_NAME } from '../model/build-static-model.js';
import { fail, messageOf } from './fail.js';

const USAGE = `Usage: npm run bench -- [--json] [--vectors N] [--quick]
  --json        print one JSON object instead of the report
  --vectors N   synthetic vectors for the HNSW part (default 100000)
  --quick       10000 vectors and fewer repetitions (--vectors still wins when given)
Progress goes to stderr; the report (or JSON) to stdout.`;

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const QUESTIONS_FILE = path.join(REPO_ROOT, 'test/eval/questions.jsonl');

async function main(): Promise<void> {
  let values: { json?: boolean; vectors?: string; quick?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        vectors: { type: 'string' },
        quick: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    fail(`${messageOf(error)}\n${USAGE}`, 2);
  }
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const quick = values.quick === true;
  let vectors = quick ? 10_000 : 100_000;
  if (values.vectors !== undefined) {
    vectors = Number(values.vectors);
    // Below a few hundred vectors, recall@10 and HNSW latency say nothing useful.
    if (!Number.isInteger(vectors) || vectors < 1000) fail(`--vectors must be a whole number of at least 1000 (got ${values.vectors})\n${USAGE}`, 2);
  }
  const options = {
    quick,
    vectors,
    embedSeconds: quick ? 1 : 3,
    queryRepetitions: quick ? 2 : 5,
    hnswRepetitions: quick ? 1 : 5,
  };

  // Only the two folders the bench reads from are taken from the environment: a bad
  // DISCORD_TOKEN, say, has nothing to do with a benchmark and must not stop it.
  const base = loadConfig({ SEEDS_DIR: process.env.SEEDS_DIR, MODELS_DIR: process.env.MODELS_DIR });
  const questionsText = await readFile(QUESTIONS_FILE, 'utf8').catch((e: NodeJS.ErrnoException) => fail(`cannot read ${QUESTIONS_FILE}: ${e.code ?? e.message}`));
  const questions = parseQuestions(questionsText).map((q) => q.q);

  const progress = stderrProgress();
  const memory = new MemoryTracker();
  memory.mark('start');
  const startedAt = new Date().toISOString();
  const start = performance.now();
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'news-quote-bench-'));
  // The HNSW build takes minutes; someone pressing Ctrl-C then should not be left with
  // hundreds of megabytes in /tmp.
  const interrupted = (signal: NodeJS.Signals): void => {
    rmSync(tmp, { recursive: true, force: true });
    process.stderr.write(`\nbench: interrupted (${signal}); removed ${tmp}\n`);
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  let result: BenchResult;
  try {
    const machine = describeMachine();
    progress(`machine: ${machine.cpuModel}, ${machine.cores} cores; temp folder ${tmp}`);

    progress(`reading the seeds in ${base.SEEDS_DIR} and building the project model`);
    const corpus = await loadCorpus(base.SEEDS_DIR);
    if (corpus.passages.length === 0) throw new Error(`no passages in ${base.SEEDS_DIR}`);
    const texts = corpus.passages.map((p) => p.text);
    const model = await buildBenchModel(base.SEEDS_DIR, path.join(tmp, 'model'));
    memory.mark('project model built');

    const project = await measureThroughput(model.embedder, model.loadMs, texts, options.embedSeconds, progress);
    memory.mark('embedding: project model');
    progress(`looking for ${DEFAULT_EMBEDDING_MODEL} under ${base.MODELS_DIR}`);
    const def = await loadDefaultModelIfPresent(base.MODELS_DIR);
    let defaultResult: BenchResult['embedding']['default'];
    if (def.present) {
      defaultResult = { model: DEFAULT_EMBEDDING_MODEL, skipped: false, result: await measureThroughput(def.embedder, def.loadMs, texts, options.embedSeconds, progress) };
      memory.mark('embedding: default model');
    } else {
      progress(`${DEFAULT_EMBEDDING_MODEL}: ${def.reason}`);
      defaultResult = { model: DEFAULT_EMBEDDING_MODEL, skipped: true, reason: def.reason };
    }

    progress('building the vector index on the seed corpus');
    const index = await measureIndexBuild(path.join(tmp, 'index'), model.embedder, corpus.passages);
    memory.mark('vector index built');

    progress('starting the engine for question latency');
    const queries = await measureQueryLatency({
      seedsDir: base.SEEDS_DIR,
      modelsDir: base.MODELS_DIR,
      modelDir: model.dir,
      embeddingsDir: path.join(tmp, 'engine-embeddings'),
      questions,
      repetitions: options.queryRepetitions,
      progress,
    });
    memory.mark('question latency');

    const hnsw = await benchHnsw({
      vectors,
      queries: 200,
      dimension: 384,
      clusters: 1000,
      // σ per coordinate: noise of norm ≈ σ·√384 ≈ 1, so a vector keeps cosine ≈ 0.7 with its
      // centre and ≈ 0.5 with its cluster mates — clumped like topics, not collapsed onto points.
      noise: 0.05,
      seed: 20240423,
      k: 10,
      efValues: [10, 50, 100, 200],
      repetitions: options.hnswRepetitions,
      dir: tmp,
      progress,
      memory,
    });

    result = {
      startedAt,
      runtimeSeconds: (performance.now() - start) / 1000,
      options,
      machine,
      // The built model's id is a temp path that is gone once this returns; its name says more.
      embedding: { project: { ...project, model: STATIC_MODEL_NAME, vocabSize: model.vocabSize, buildMs: model.buildMs }, default: defaultResult },
      index: { ...index, model: STATIC_MODEL_NAME },
      queries: { ...queries, model: queries.model === null ? null : STATIC_MODEL_NAME },
      hnsw,
      memory: memory.result(),
    };
  } finally {
    progress(`removing ${tmp}`);
    await rm(tmp, { recursive: true, force: true });
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }

  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${formatBench(result)}\n`);
}

main().catch((error: unknown) => fail(messageOf(error)));
