import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { createEngine } from '../../src/engine/index.js';
import { loadCorpus } from '../../src/core/text/corpus.js';
import { miniSearchDefault, oramaDefault, type Baseline } from '../eval/baselines.js';
import { denseCalibration } from '../../src/core/answer/tuning.js';
import { coverageOf } from '../../src/core/answer/index.js';
import { buildLexicalIndex } from '../../src/core/retrieval/index.js';
import type { RetrievalMode } from '../../src/core/types.js';
import { GATE_FLOORS, gateFailures } from '../eval/gate.js';
import { asRun, parseQuestions, rankDrops, score, scoreBy, type EvalQuestion, type EvalRun, type RankDrop, type Scores } from '../eval/metrics.js';
import { sweepCalibration, sweepTable } from '../eval/sweep.js';
import { evaluateConversations, parseConversations, type ConversationScores } from '../eval/conversations.js';
import { fail, messageOf } from '../../src/cli/fail.js';
import type { EvaluationSummary } from '../../src/discord/evaluation.js';

const USAGE = `Usage: npm run eval -- [--json] [--questions FILE] [--conversations FILE] [--sweep] [--gate] [--save] [--pglite]
  --conversations  the conversation set (default test/eval/conversations.jsonl): follow-up hit@1/hit@3 beside the single questions'
  --save   write the deployed system's figures by category to src/discord/evaluation-results.ts (shown by /about)
  --pglite the corpus in a fresh in-memory Postgres (PGlite with pgvector and unaccent), loaded with the seeds:
           the PostgreSQL store as DATABASE_URL uses it, its lexical retriever chosen by PG_LEXICAL (bm25 or postgres)
  --sweep  also answer under a grid of thresholds and print the sweep
  --gate   exit 1 unless the bot (hybrid, with a model) meets the CI floors: hit@1 ≥ ${GATE_FLOORS.hitAt1}, French hit@3 ≥ ${GATE_FLOORS.frenchHitAt3},
           English hit@3 ≥ ${GATE_FLOORS.englishHitAt3}, unanswerable not answered ≥ ${GATE_FLOORS.unanswerableNotAnswered} (near-topic traps ≥ ${GATE_FLOORS.trapsNotAnswered}),
           false abstentions ≤ ${GATE_FLOORS.maxFalseAbstentions}, hybrid below lexical ≤ ${GATE_FLOORS.maxHybridBelowLexical} of answerable, every quote verbatim

A "related" reply (the closest passages, not an answer) counts as not answering. Scores are given
overall, by language, by category (plain, paraphrase, english, casual, when, trap, off-topic) and by
split (dev, held-out).`;

/** Where `--save` writes what /about shows. */
const SUMMARY_FILE = path.resolve('src/discord/evaluation-results.ts');
/** Categories in the order /about lists them: answerable first. */
const CATEGORY_ORDER = ['plain', 'paraphrase', 'english', 'casual', 'when', 'trap', 'off-topic'];

interface SystemResult {
  system: string;
  all: Scores;
  byLang: Record<string, Scores>;
  byCategory: Record<string, Scores>;
  bySplit: Record<string, Scores>;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        sweep: { type: 'boolean', default: false },
        gate: { type: 'boolean', default: false },
        save: { type: 'boolean', default: false },
        pglite: { type: 'boolean', default: false },
        questions: { type: 'string', default: 'test/eval/questions.jsonl' },
        conversations: { type: 'string', default: 'test/eval/conversations.jsonl' },
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
    return asRun(a, ms, nonVerbatim);
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
  const runsOf = new Map<string, EvalRun[]>();
  for (const system of systems) {
    const runs: EvalRun[] = [];
    for (const q of questions) runs.push(await system.run(q.q));
    runsOf.set(system.name, runs);
    results.push({
      system: system.name,
      all: score(questions, runs),
      byLang: scoreBy(questions, runs, (q) => q.lang),
      byCategory: scoreBy(questions, runs, (q) => q.category),
      bySplit: scoreBy(questions, runs, (q) => q.split),
    });
  }

  // Extractive summaries against the article's own lead of as many sentences: the share of the article's TF-IDF weight each covers.
  const lexical = buildLexicalIndex(passages);
  const summaries = [];
  for (const article of engine.corpus.articles.filter((a) => a.kind === 'article')) {
    const found = await engine.library(null).summary(article.id);
    if (!found) continue;
    const lead = found.article.paragraphs.flat().slice(0, found.sentences.length);
    summaries.push({ file: article.file, sentences: found.sentences.length, coverage: coverageOf(found.article, found.sentences, lexical), leadCoverage: coverageOf(found.article, lead, lexical) });
  }

  const deployed = results.find((r) => r.system === `this bot, ${engine.mode}`)!;
  // Conversations: each turn asked with the one before it, as the terminal chat and Discord do.
  const conversationText = await readFile(path.resolve(values.conversations), 'utf8').catch((e: NodeJS.ErrnoException) => fail(`cannot read ${values.conversations}: ${e.code ?? e.message}`, 2));
  let conversations: ConversationScores;
  try {
    const library = engine.library(null);
    conversations = await evaluateConversations(parseConversations(conversationText), (q, previous) => library.ask(q, { mode: engine.mode, previous }));
  } catch (error) {
    fail(`${values.conversations}: ${messageOf(error)}`, 2);
  }
  // Hybrid must never rank the right quote below its own lexical half.
  const hybridRuns = runsOf.get('this bot, hybrid');
  const hybridBelowLexical: RankDrop[] = hybridRuns ? rankDrops(questions, hybridRuns, runsOf.get('this bot, lexical')!) : [];
  const failures = engine.mode === 'lexical' ? ['no embedding model loaded: the gate needs the real model (npm run model:import)'] : gateFailures({ ...deployed, hybridBelowLexical: hybridBelowLexical.length, conversations });
  const calibration = engine.mode === 'lexical' ? null : denseCalibration(engine.embedderFamily ?? '');
  const sweep = values.sweep && calibration ? await sweepCalibration(engine, questions, calibration) : null;

  await engine.close();
  await pglite?.close();
  if (values.save) {
    if (engine.mode === 'lexical') fail('--save needs the real model: the figures /about shows are those of the bot as deployed (npm run model:import)', 2);
    const summary = JSON.stringify(evaluationSummary(deployed, engine.modelName), null, 2);
    await writeFile(SUMMARY_FILE, `// Written by \`npm run eval -- --save\` (tools/cli/eval.ts): the figures /about shows. Do not edit by hand.\nimport type { EvaluationSummary } from './evaluation.js';\n\nexport const RESULTS: EvaluationSummary = ${summary};\n`);
  }

  const report = { questions: file, model: engine.model, modelName: engine.modelName, modes: engine.mode, store, notes, results, hybridBelowLexical, conversations, summaries, sweep, gate: { floors: GATE_FLOORS, failures } };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    process.stdout.write(`${questions.length} questions from ${path.relative(process.cwd(), file)}; embedding model: ${engine.modelName ?? 'none (lexical only)'}; corpus store: ${store}\n`);
    for (const n of notes) process.stdout.write(`note: ${n}\n`);
    process.stdout.write(`\n${table(results)}\n`);
    process.stdout.write(`\nBy category (${deployed.system}; "not answered" is the share given related passages or nothing):\n${categoryTable(deployed)}\n`);
    if (hybridRuns) {
      const share = deployed.all.answerable ? ((100 * hybridBelowLexical.length) / deployed.all.answerable).toFixed(1) : '0.0';
      process.stdout.write(`\nHybrid ranks the expected quote below lexical alone on ${hybridBelowLexical.length} of ${deployed.all.answerable} answerable questions (${share}%)${hybridBelowLexical.length ? ':' : '.'}\n`);
      for (const d of hybridBelowLexical) process.stdout.write(`  - [${d.category ?? '-'}] ${d.q} (lexical ${d.than}, hybrid ${d.rank || 'not quoted'})\n`);
    }
    process.stdout.write(`\n${conversationReport(conversations, engine.mode)}\n`);
    if (summaries.length > 0) {
      process.stdout.write(`\nExtractive summaries: share of each article's TF-IDF weight covered (summary / its lead of as many sentences):\n`);
      for (const s of summaries) process.stdout.write(`  ${s.file}  ${s.sentences} sentences  ${(s.coverage * 100).toFixed(1)}% / ${(s.leadCoverage * 100).toFixed(1)}%\n`);
    }
    if (values.sweep) process.stdout.write(sweep ? `\nCalibration sweep (model anchors ${calibration!.unrelated} → ${calibration!.same}):\n${sweepTable(sweep)}\n` : '\nNo sweep: the model has no calibration.\n');
    if (values.gate) process.stdout.write(failures.length ? `\nGate: FAIL\n${failures.map((f) => `  - ${f}`).join('\n')}\n` : '\nGate: PASS\n');
  }
  if (values.gate && failures.length > 0) process.exitCode = 1;
}

/** Follow-up figures beside the single questions': later turns overall, by category and language. */
function conversationReport(c: ConversationScores, mode: RetrievalMode): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const rows: [string, Scores][] = [['all later turns', c.later], ['(asked alone)', c.laterAlone], ...Object.entries(c.byCategory), ...Object.entries(c.byLang).map(([k, v]) => [`later, ${k}`, v] as [string, Scores])];
  const lines = rows.map(([name, s]) => `  ${name.padEnd(16)} n ${String(s.questions).padStart(3)}  hit@1 ${pct(s.hitAt1).padStart(6)}  hit@3 ${pct(s.hitAt3).padStart(6)}  ${s.unanswerable ? `not answered ${pct(s.abstentionRecall)} of ${s.unanswerable} unanswerable` : ''}`);
  const own = c.ownAnchorsChanged.length === 0 ? `every one of the ${c.ownAnchors} later turns with names of their own answered as when asked alone` : `${c.ownAnchorsChanged.length} of ${c.ownAnchors} later turns with names of their own answered differently from when asked alone: ${c.ownAnchorsChanged.join(' | ')}`;
  return [`Conversations (${c.conversations}, this bot, ${mode}; each turn asked with the one before it):`, ...lines, `  ${own}`].join('\n');
}

/** The figures /about shows (src/discord/evaluation.ts). */
function evaluationSummary(r: SystemResult, model: string | null): EvaluationSummary {
  const rank = (c: string) => (CATEGORY_ORDER.indexOf(c) + 1 || CATEGORY_ORDER.length + 1);
  const categories = Object.entries(r.byCategory)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([category, s]) => ({ category, questions: s.questions, hitAt3: s.answerable ? round(s.hitAt3) : null, declined: s.answerable ? null : round(s.abstentionRecall) }));
  return { measured: new Date().toISOString().slice(0, 10), model, questions: r.all.questions, categories, falseDeclines: round(r.all.falseAbstentionRate) };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** One row per category and split: answerable ones by hit@1/hit@3, unanswerable ones by how many were not answered. */
export function categoryTable(r: SystemResult): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const header = ['subset', 'n', 'hit@1', 'hit@3', 'not answered'];
  const rows = [...Object.entries(r.byCategory), ...Object.entries(r.bySplit).map(([k, v]) => [`split: ${k}`, v] as const)].map(([name, s]) => [
    name,
    String(s.questions),
    s.answerable ? pct(s.hitAt1) : '-',
    s.answerable ? pct(s.hitAt3) : '-',
    s.answerable && s.unanswerable ? `${pct(s.falseAbstentionRate)} / ${pct(s.abstentionRecall)}` : s.answerable ? pct(s.falseAbstentionRate) : pct(s.abstentionRecall),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
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
