/**
 * One benchmark process: starts the engine on an index built earlier, answers a first question
 * (printing `first-answer` at once, so the parent can time start-up to first answer from outside),
 * then times a cold pass over the questions (each asked for the first time in this process) and
 * warm passes, and prints one JSON line of figures. Run by scale.ts, never by users.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { Embedder } from '../../src/core/model/types.js';
import type { RetrievalMode } from '../../src/core/types.js';
import { loadEmbedderInThread } from '../../src/core/model/thread/index.js';

export interface ChildOptions {
  seedsDir: string;
  embeddingsDir: string;
  /** `hybrid` embeds with `model` when given (a model folder), else with the stand-in embedder (bench-embedder.ts). */
  mode: 'lexical' | 'hybrid';
  model?: string;
  modelsDir?: string;
  first: string;
  questions: string[];
  warmPasses: number;
  /**
   * A real model folder loaded beside the stand-in, as the bot loads its model (in parallel with
   * the indexes), which then embeds every question before it is answered: a real model's start-up,
   * memory and question cost at a corpus size no real model can embed in a benchmark (the index's
   * vectors stay the stand-in's, of the same size).
   */
  besideModel?: string;
  /** After the questions, write this article into the seeds folder and time the re-index. */
  add?: { file: string; text: string };
}

export interface ChildResult {
  /** performance.now() in the child when the first answer was ready (time since the process started). */
  firstAnswerMs: number;
  engineMs: number;
  mode: RetrievalMode;
  passages: number;
  cold: number[];
  warm: number[];
  answered: number;
  rssAfterStartBytes: number;
  rssBytes: number;
  maxRssBytes: number;
  warnings: string[];
  /** The re-index after adding `add`, when asked. */
  added: { reindexMs: number; passagesBefore: number; passagesAfter: number } | null;
}

/**
 * This process's peak resident memory. Linux's VmHWM, which starts afresh with the process's own
 * memory: getrusage's maxRSS is carried over from the parent across fork and exec, so a child of
 * a large benchmark process would report the parent's peak.
 */
function peakRss(): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/mu.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS * 1024;
}

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2]!) as ChildOptions;
  // As main.ts does: the model thread starts before the rest is imported.
  const beside = o.besideModel ? loadEmbedderInThread({ model: o.besideModel, modelsDir: path.dirname(o.besideModel), offline: true }) : null;
  const [{ createEngine }, { collectLoadGarbage, SECOND_COLLECTION_MS }] = await Promise.all([import('../../src/engine/index.js'), import('../../src/lib/collect-garbage.js')]);
  const warnings: string[] = [];
  const embedder: Embedder | undefined = o.mode === 'hybrid' && !o.model ? new (await import('./bench-embedder.js')).BenchEmbedder() : undefined;
  const model = o.mode === 'hybrid' && o.model ? o.model : '/nonexistent/bench-lexical-only';
  const config = loadConfig({ SEEDS_DIR: o.seedsDir, EMBEDDINGS_DIR: o.embeddingsDir, EMBEDDING_MODEL: model, MODELS_DIR: o.modelsDir, OFFLINE: '1', LOG_LEVEL: 'silent' });
  const t0 = performance.now();
  const engine = await createEngine(config, { log: { info: () => {}, warn: (m) => warnings.push(m) }, ...(embedder ? { embedder } : {}) });
  const engineMs = performance.now() - t0;
  const real = beside ? await beside : null;
  if (real && !real.ok) throw new Error(real.message);
  const ask = async (q: string) => {
    if (real?.ok) await real.embedder.embedQueries([q]);
    return engine.ask(q);
  };
  await ask(o.first);
  const firstAnswerMs = performance.now();
  process.stdout.write('first-answer\n');
  // As the bot does once it is ready (main.ts); memory "after start" is read once both
  // collections have run.
  collectLoadGarbage();
  if ((globalThis as { gc?: unknown }).gc) await new Promise((resolve) => setTimeout(resolve, SECOND_COLLECTION_MS + 200));
  const rssAfterStartBytes = process.memoryUsage.rss();

  const time = async (q: string): Promise<[number, boolean]> => {
    const t = performance.now();
    const a = await ask(q);
    return [performance.now() - t, a.answered];
  };
  const cold: number[] = [];
  let answered = 0;
  for (const q of o.questions) {
    const [ms, ok] = await time(q);
    cold.push(ms);
    if (ok) answered++;
  }
  const warm: number[] = [];
  for (let r = 0; r < o.warmPasses; r++) for (const q of o.questions) warm.push((await time(q))[0]);
  let added: ChildResult['added'] = null;
  if (o.add) {
    // A running bot has loaded the ingestion code in the background after start-up (main.ts).
    await import('../../src/core/text/ingest.js');
    const before = engine.corpus.passages.length;
    await writeFile(path.join(o.seedsDir, o.add.file), o.add.text);
    const t = performance.now();
    await engine.reindex();
    added = { reindexMs: performance.now() - t, passagesBefore: before, passagesAfter: engine.corpus.passages.length };
  }
  const result: ChildResult = {
    firstAnswerMs,
    engineMs,
    mode: engine.mode,
    passages: engine.corpus.passages.length,
    cold,
    warm,
    answered,
    rssAfterStartBytes,
    rssBytes: process.memoryUsage.rss(),
    maxRssBytes: peakRss(),
    warnings: warnings.filter((w) => !w.startsWith('Could not load embedding model')),
    added,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
