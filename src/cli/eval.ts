import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createEngine } from '../engine.js';
import { miniSearchDefault, oramaDefault, type Baseline } from '../eval/baselines.js';
import { parseQuestions, score, type EvalQuestion, type EvalRun, type Scores } from '../eval/metrics.js';
import { fail, messageOf } from './fail.js';

const USAGE = 'Usage: npm run eval -- [--json] [--questions FILE]';

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

  const config = loadConfig();
  const notes: string[] = [];
  const engine = await createEngine(config, { log: { info: () => {}, warn: (m) => notes.push(m) } });

  const systems: { name: string; run: (q: string) => Promise<EvalRun> }[] = [];
  const ours = (lexicalOnly: boolean) => async (q: string): Promise<EvalRun> => {
    const t = performance.now();
    const a = await engine.ask(q, { lexicalOnly });
    return { answered: a.answered, results: a.results, ms: performance.now() - t };
  };
  systems.push({ name: 'this bot, lexical', run: ours(true) });
  if (engine.mode !== 'lexical') systems.push({ name: `this bot, ${engine.mode}`, run: ours(false) });
  const baselines: Baseline[] = [miniSearchDefault(engine.corpus.passages), await oramaDefault(engine.corpus.passages)];
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

  const report = { questions: file, model: engine.model, modes: engine.mode, notes, results };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  process.stdout.write(`${questions.length} questions from ${path.relative(process.cwd(), file)}; embedding model: ${engine.model ?? 'none (lexical only)'}\n`);
  for (const n of notes) process.stdout.write(`note: ${n}\n`);
  process.stdout.write(`\n${table(results)}\n`);
}

function table(results: SystemResult[]): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const header = ['system', 'subset', 'n', 'hit@1', 'hit@3', 'MRR', 'abst.prec', 'abst.recall', 'false abst.', 'p50 ms', 'p95 ms'];
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
