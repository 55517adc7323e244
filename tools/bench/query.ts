/** Question → answer latency through the real engine, lexical-only and hybrid. */
import { loadConfig } from '../../src/config.js';
import { createEngine, type Engine } from '../../src/engine/index.js';
import { summarize, timed, type LatencySummary, type Progress } from './stats.js';

/** Where the engine for the benchmark reads from and writes to. */
export interface QueryBenchOptions {
  seedsDir: string;
  modelsDir: string;
  /** Model folder the engine embeds with. */
  modelDir: string;
  /** A temporary folder: the engine builds its index and snapshot there. */
  embeddingsDir: string;
  questions: readonly string[];
  /** Timed passes over all questions, after one untimed warm-up pass. */
  repetitions: number;
  progress: Progress;
}

/** Latency of one retrieval mode. */
export interface ModeLatency extends LatencySummary {
  /** Share of questions answered rather than abstained on (a sanity check that the mode works). */
  answeredShare: number;
}

/** What {@link measureQueryLatency} found. */
export interface QueryBenchResult {
  questions: number;
  repetitions: number;
  /** createEngine: ingest, model load, index build. */
  startupMs: number;
  model: string | null;
  mode: string;
  lexical: ModeLatency;
  /** Null when the engine fell back to lexical retrieval (see `notes`). */
  hybrid: ModeLatency | null;
  /** Warnings the engine logged. */
  notes: string[];
}

/**
 * Builds an engine on the seeds with the given model in a throw-away embeddings folder, then times
 * every question. The config comes from loadConfig on an environment built here, never from
 * process.env, so the user's EMBEDDINGS_DIR (the bot's real index) is never touched.
 */
export async function measureQueryLatency(o: QueryBenchOptions): Promise<QueryBenchResult> {
  const config = loadConfig({
    SEEDS_DIR: o.seedsDir,
    MODELS_DIR: o.modelsDir,
    EMBEDDINGS_DIR: o.embeddingsDir,
    EMBEDDING_MODEL: o.modelDir,
    OFFLINE: '1',
    LOG_LEVEL: 'silent',
  });
  const notes: string[] = [];
  const start = await timed(() => createEngine(config, { log: { info: () => {}, warn: (m) => notes.push(m) } }));
  const engine = start.value;

  const lexical = await timeMode(engine, o, true);
  const hybrid = engine.mode === 'lexical' ? null : await timeMode(engine, o, false);
  return {
    questions: o.questions.length,
    repetitions: o.repetitions,
    startupMs: start.ms,
    model: engine.model,
    mode: engine.mode,
    lexical,
    hybrid,
    notes,
  };
}

async function timeMode(engine: Engine, o: QueryBenchOptions, lexicalOnly: boolean): Promise<ModeLatency> {
  const name = lexicalOnly ? 'lexical-only' : engine.mode;
  const mode = lexicalOnly ? 'lexical' : engine.mode;
  o.progress(`answering ${o.questions.length} questions, ${name}: warm-up pass`);
  // Warm-up: first calls pay for JIT compilation and lazily built caches, which a running bot pays once.
  for (const q of o.questions) await engine.ask(q, { mode });
  const ms: number[] = [];
  let answered = 0;
  for (let r = 0; r < o.repetitions; r++) {
    o.progress(`answering ${o.questions.length} questions, ${name}: pass ${r + 1}/${o.repetitions}`);
    for (const q of o.questions) {
      const t = performance.now();
      const a = await engine.ask(q, { mode });
      ms.push(performance.now() - t);
      if (a.answered) answered++;
    }
  }
  return { ...summarize(ms), answeredShare: ms.length === 0 ? 0 : answered / ms.length };
}
