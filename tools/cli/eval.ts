import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { createEngine } from '../../src/engine/index.js';
import { loadCorpus } from '../../src/core/text/corpus.js';
import { miniSearchDefault, oramaDefault, type Baseline } from '../eval/baselines.js';
import { denseCalibration } from '../../src/core/answer/tuning.js';
import type { RetrievalMode } from '../../src/core/types.js';
import { GATE_FLOORS, gateFailures } from '../eval/gate.js';
import { parseQuestions, score, type EvalQuestion, type EvalRun, type Scores } from '../eval/metrics.js';
import { sweepCalibration, sweepTable } from '../eval/sweep.js';
import { fail, messageOf } from '../../src/cli/fail.js';

const USAGE = `Usage: npm run eval -- [--json] [--questions FILE] [--sweep] [--gate] [--pglite]
  --pglite the corpus in a fresh in-memory Postgres (PGlite with pgvector and unaccent), loaded with the seeds:
           the PostgreSQL store as DATABASE_URL uses it, its lexical retriever chosen by PG_LEXICAL (bm25 or postgres)
  --sweep  also answer under a grid of thresholds and print the sweep
  --gate   exit 1 unless the bot (hybrid, with a model) meets the CI floors: French hit@3 ≥ ${GATE_FLOORS.frenchHitAt3},
           English hit@3 ≥ ${GATE_FLOORS.englishHitAt3}, unanswerable abstained ≥ ${GATE_FLOORS.unanswerableAbstained}, false abstentions ≤ ${GATE_FLOORS.maxFalseAbstentions}, every quote verbatim`;

interface SystemResult {
  system: string;
  all: Scores;
  byLang: Record<string, Scores>;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        sweep: { type: 'boolean', default: false },
        gate: { type: 'boolean', default: false },
        pglite: { type: 'boolean', default: false },
        questions: { type: 'string', default: 'test/eval/questions.jsonl' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    fail(`${messageOf(error)}\n${USAGE}`, 2);
  }
  if (values.help) return void process.stdout.write(`${USAGE}\n`);

  const file = path.resolve(values.questions);
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => fail(`cannot read ${values.questions}: ${e.code ?? e.message}`, 2));
  let questions: EvalQuestion[];
  try {
    questions = parseQuestions(text);
  } catch (error) {
    fail(`${values.questions}: ${messageOf(error)}`, 2);
  }

  const pglite = values.pglite ? await (await import('../pg/pglite-server.js')).startPgliteServer() : null;
  const config = loadConfig(pglite ? { ...process.env, DATABASE_URL: pglite.url } : process.env);
  const notes: string[] = [];
  const engine = await createEngine(config, { log: { info: () => {}, warn: (m) => notes.push(m) }, ...(pglite ? { updateOnStart: true } : {}) });
  const store = engine.store === 'postgres' ? `PostgreSQL${pglite ? ' (PGlite)' : ''}, lexical retriever ${config.PG_LEXICAL}` : 'files';

  const systems: { name: string; run: (q: string) => Promise<EvalRun> }[] = [];
  const sources = new Map<string, string>();
  const sourceText = async (file: string) => {
    if (!sources.has(file)) sources.set(file, (await readFile(path.join(config.SEEDS_DIR, file), 'utf8').catch(() => '')).replace(/\s+/gu, ' '));
    return sources.get(file)!;
  };
  const ours = (mode: RetrievalMode) => async (q: string): Promise<EvalRun> => {
    const t = performance.now();
    const a = await engine.ask(q, { mode });
    const ms = performance.now() - t;
    let nonVerbatim = 0;
    for (const r of a.results) if (!(await sourceText(r.source)).includes(r.quote)) nonVerbatim++;
    return { answered: a.answered, results: a.results, ms, nonVerbatim };
  };
  systems.push({ name: 'this bot, lexical', run: ours('lexical') });
  if (engine.mode !== 'lexical') {
    systems.push({ name: 'this bot, dense', run: ours('dense') });
    systems.push({ name: 'this bot, hybrid', run: ours('hybrid') });
  }
  // With PG_LEXICAL=postgres the engine holds no passages: the baselines index the seeds themselves.
  const passages = engine.indexFree ? (await loadCorpus(config.SEEDS_DIR)).passages : engine.corpus.passages;
  const baselines: Baseline[] = [miniSearchDefault(passages), await oramaDefault(passages)];
  systems.push(...baselines);

  const results: SystemResult[] = [];
  for (const system of systems) {
    const runs: EvalRun[] = [];
    for (const q of questions) runs.push(await system.run(q.q));
    const langs = [...new Set(questions.map((q) => q.lang))].sort();
    const byLang = Object.fromEntries(
      langs.map((lang) => {
        const idx = questions.flatMap((q, i) => (q.lang === lang ? [i] : []));
        return [lang, score(idx.map((i) => questions[i]!), idx.map((i) => runs[i]!))];
      }),
    );
    results.push({ system: system.name, all: score(questions, runs), byLang });
  }

  const deployed = results.find((r) => r.system === `this bot, ${engine.mode}`)!;
  const failures = engine.mode === 'lexical' ? ['no embedding model loaded: the gate needs the real model (npm run model:import)'] : gateFailures(deployed.all, deployed.byLang);
  const calibration = engine.mode === 'lexical' ? null : denseCalibration(engine.embedderFamily ?? '');
  const sweep = values.sweep && calibration ? await sweepCalibration(engine, questions, calibration) : null;

  await engine.close();
  await pglite?.close();

  const report = { questions: file, model: engine.model, modelName: engine.modelName, modes: engine.mode, store, notes, results, sweep, gate: { floors: GATE_FLOORS, failures } };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    process.stdout.write(`${questions.length} questions from ${path.relative(process.cwd(), file)}; embedding model: ${engine.modelName ?? 'none (lexical only)'}; corpus store: ${store}\n`);
    for (const n of notes) process.stdout.write(`note: ${n}\n`);
    process.stdout.write(`\n${table(results)}\n`);
    if (values.sweep) process.stdout.write(sweep ? `\nCalibration sweep (model anchors ${calibration!.unrelated} → ${calibration!.same}):\n${sweepTable(sweep)}\n` : '\nNo sweep: the model has no calibration.\n');
    if (values.gate) process.stdout.write(failures.length ? `\nGate: FAIL\n${failures.map((f) => `  - ${f}`).join('\n')}\n` : '\nGate: PASS\n');
  }
  if (values.gate && failures.length > 0) process.exitCode = 1;
}

function table(results: SystemResult[]): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const header = ['system', 'subset', 'n', 'hit@1', 'hit@3', 'MRR', 'abst.prec', 'abst.recall', 'false abst.', 'not verbatim', 'p50 ms', 'p95 ms'];
  const rows: string[][] = [];
  for (const r of results) {
    for (const [subset, s] of [['all', r.all] as const, ...Object.entries(r.byLang)]) {
      rows.push([
        r.system,
        subset,
        String(s.questions),
        pct(s.hitAt1),
        pct(s.hitAt3),
        s.mrr.toFixed(3),
        pct(s.abstentionPrecision),
        pct(s.abstentionRecall),
        pct(s.falseAbstentionRate),
        String(s.nonVerbatim),
        s.p50ms.toFixed(1),
        s.p95ms.toFixed(1),
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

main().catch((error: unknown) => fail(messageOf(error)));
