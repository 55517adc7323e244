/**
 * One bot process's memory and question latency with DATABASE_URL, PG_LEXICAL=bm25 against
 * PG_LEXICAL=postgres, on a generated corpus (tools/bench/corpus/generate.ts) in PGlite served
 * from this process: each bot is a child process (lexical retrieval, no model), so its RSS is
 * the bot's alone. Usage: node --import tsx tools/pg/lexical-memory.ts [--passages 20000] [--questions 60]
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { createEngine } from '../../src/engine/index.js';

interface ChildReport {
  mode: string;
  indexFree: boolean;
  passages: number;
  startMs: number;
  rssBeforeMiB: number;
  rssMiB: number;
  heapMiB: number;
  p50ColdMs: number;
  p50WarmMs: number;
  p95WarmMs: number;
}

const mib = (n: number): number => Math.round((n / 2 ** 20) * 10) / 10;
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))]! * 10) / 10;
};

async function child(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const questions = JSON.parse(process.env.LM_QUESTIONS!) as string[];
  gc();
  const rssBefore = process.memoryUsage().rss;
  const t = performance.now();
  const engine = await createEngine(loadConfig(process.env), { log: { info: () => {}, warn: (m) => process.stderr.write(`warning: ${m}\n`) } });
  const startMs = performance.now() - t;
  const pass = async (): Promise<number[]> => {
    const ms: number[] = [];
    for (const q of questions) {
      const s = performance.now();
      await engine.ask(q);
      ms.push(performance.now() - s);
    }
    return ms;
  };
  const cold = await pass();
  const warm = await pass();
  gc();
  const m = process.memoryUsage();
  const report: ChildReport = {
    mode: process.env.PG_LEXICAL ?? 'bm25',
    indexFree: engine.indexFree,
    passages: engine.about().passages,
    startMs: Math.round(startMs),
    rssBeforeMiB: mib(rssBefore),
    rssMiB: mib(m.rss),
    heapMiB: mib(m.heapUsed),
    p50ColdMs: pct(cold, 0.5),
    p50WarmMs: pct(warm, 0.5),
    p95WarmMs: pct(warm, 0.95),
  };
  await engine.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

async function main(): Promise<void> {
  // Imported here: the bot children load only what a bot loads.
  const { loadCorpus } = await import('../../src/core/text/corpus.js');
  const { connectDatabase } = await import('../../src/core/store/pg/database.js');
  const { PgCorpusStore } = await import('../../src/core/store/pg/pg-store.js');
  const { generateCorpus } = await import('../bench/corpus/generate.js');
  const { startPgliteServer } = await import('./pglite-server.js');
  const { values } = parseArgs({ options: { passages: { type: 'string', default: '20000' }, questions: { type: 'string', default: '60' } } });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lexical-memory-'));
  const seeds = path.join(dir, 'seeds');
  await mkdir(seeds);
  const sources = (await loadCorpus('seeds')).articles;
  const originals = await Promise.all((await readdir('seeds')).map(async (name) => ({ name, text: await readFile(path.join('seeds', name), 'utf8') })));
  const corpus = generateCorpus({ seed: 1, passages: Number(values.passages), sources, originals });
  for (const f of corpus.files) await writeFile(path.join(seeds, f.name), f.text);
  const questions = (await readFile('test/eval/questions.jsonl', 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { q: string }).q)
    .slice(0, Number(values.questions));
  const server = await startPgliteServer();
  try {
    const pool = await connectDatabase({ url: server.url, log: { info: () => {}, warn: () => {} } });
    const t = performance.now();
    await new PgCorpusStore(pool, server.url).update({ seedsDir: seeds, embedder: null });
    process.stderr.write(`${corpus.files.length} files, ${corpus.passages} passages indexed in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    await pool.end();
    for (const mode of ['bm25', 'postgres']) {
      const out = await new Promise<string>((resolve, reject) => {
        const p = spawn(process.execPath, ['--import', 'tsx', '--expose-gc', process.argv[1]!, '--child'], {
          env: { ...process.env, LM_CHILD: '1', LM_QUESTIONS: JSON.stringify(questions), DATABASE_URL: server.url, PG_LEXICAL: mode, EMBEDDING_MODEL: '/nonexistent', OFFLINE: '1', SEEDS_DIR: seeds, EMBEDDINGS_DIR: path.join(dir, 'emb') },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let s = '';
        p.stdout.on('data', (d: Buffer) => (s += d.toString()));
        p.on('exit', (code) => (code === 0 ? resolve(s) : reject(new Error(`child ${mode} exited ${code}`))));
      });
      process.stdout.write(out);
    }
  } finally {
    await server.close();
  }
}

if (process.env.LM_CHILD === '1') await child();
else await main();
