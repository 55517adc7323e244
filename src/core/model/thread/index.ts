/**
 * The embedding model in a thread of its own. Loading multilingual-e5-small is about 2 s of work
 * on the thread that does it (its 17 MB tokenizer.json is parsed and its 250,002 pieces indexed,
 * and onnxruntime-node 1.14 creates its session synchronously): on the main thread that would add to
 * the indexes' load instead of running beside it on another core, and embedding a re-index would
 * take turns with answering. Here the caller's event loop stays free; vectors come back by message.
 *
 * One thread per process, started on first use and never stopped: onnxruntime-node 1.14's native
 * binding loads in one thread of a process only ("Module did not self-register" in a second one,
 * or in a new one after the first ended). An idle thread does not keep the process alive.
 */
import { Worker } from 'node:worker_threads';
import { failsBeforeLoading, type LoadEmbedderOptions, type LoadEmbedderResult } from '../embedder.js';
import type { Embedder, PrefixScheme } from '../types.js';
import type { ThreadReply, ThreadRequest } from './protocol.js';

// Run from TypeScript source (tsx, vitest) a worker needs tsx registered first (boot.mjs).
const ENTRY = import.meta.url.endsWith('.ts') ? new URL('./boot.mjs', import.meta.url) : new URL('./worker.js', import.meta.url);

let shared: ModelThread | null = null;

/**
 * Like loadEmbedder, with the model loaded and run in the model thread. Never throws; a failure
 * is loadEmbedder's message.
 */
export async function loadEmbedderInThread(options: LoadEmbedderOptions): Promise<LoadEmbedderResult> {
  // No thread for a load that cannot succeed (lexical mode without a model on disk).
  const early = failsBeforeLoading(options);
  if (early) return early;
  shared ??= new ModelThread();
  const thread = shared;
  const key = `model-${thread.nextKey++}`;
  let loaded: FinalReply;
  try {
    loaded = await thread.request((id) => ({ type: 'load', id, key, options }));
  } catch (error) {
    return { ok: false, message: `Could not load embedding model "${options.model}": ${(error as Error).message}.` };
  }
  if (loaded.type !== 'loaded') return { ok: false, message: `Could not load embedding model "${options.model}": unexpected reply ${loaded.type}.` };
  if (!loaded.ok) return { ok: false, message: loaded.message };
  return { ok: true, embedder: new ThreadEmbedder(thread, key, loaded.modelId, loaded.name, loaded.dimension, loaded.prefix) };
}

type FinalReply = Exclude<ThreadReply, { type: 'progress' }>;

interface Pending {
  resolve: (reply: FinalReply) => void;
  reject: (error: Error) => void;
  onProgress: ((done: number, total: number) => void) | undefined;
}

class ModelThread {
  nextKey = 1;
  private worker: Worker | null = null;
  private stoppedBecause: string | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  request(build: (id: number) => ThreadRequest, onProgress?: (done: number, total: number) => void): Promise<FinalReply> {
    // Past this, no thread of this process can load the model again (see the top of this file).
    if (this.stoppedBecause) return Promise.reject(new Error(`its thread stopped (${this.stoppedBecause}); restart the process`));
    const worker = this.start();
    const id = this.nextId++;
    const reply = new Promise<FinalReply>((resolve, reject) => this.pending.set(id, { resolve, reject, onProgress }));
    this.holdProcess();
    worker.postMessage(build(id));
    return reply;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // None of the process's flags: some are refused in a worker (--input-type), none is needed
    // (V8's, such as --expose-gc, are the process's anyway; boot.mjs registers tsx).
    const worker = new Worker(ENTRY, { execArgv: [] });
    this.worker = worker;
    worker.on('message', (reply: ThreadReply) => this.settle(reply));
    // 'error' (an uncaught exception in the thread) is followed by 'exit'; the first one counts.
    const stopped = (reason: string): void => {
      if (this.stoppedBecause) return;
      this.stoppedBecause = reason;
      for (const p of this.pending.values()) p.reject(new Error(`its thread stopped (${reason})`));
      this.pending.clear();
    };
    worker.on('error', (error) => stopped(error.message));
    worker.on('exit', (code) => stopped(`exit code ${code}`));
    return worker;
  }

  private settle(reply: ThreadReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    if (reply.type === 'progress') {
      p.onProgress?.(reply.done, reply.total);
      return;
    }
    this.pending.delete(reply.id);
    this.holdProcess();
    p.resolve(reply);
  }

  /** An idle thread must not keep the process alive; one with work under way must (a CLI waits on it). */
  private holdProcess(): void {
    if (this.pending.size > 0) this.worker?.ref();
    else this.worker?.unref();
  }
}

class ThreadEmbedder implements Embedder {
  private closed = false;

  constructor(
    private readonly thread: ModelThread,
    private readonly key: string,
    readonly modelId: string,
    readonly name: string,
    readonly dimension: number,
    readonly prefix: PrefixScheme,
  ) {}

  embedQueries(texts: string[]): Promise<number[][]> {
    return this.embed('queries', texts);
  }

  embedPassages(texts: string[], onProgress?: (done: number, total: number) => void): Promise<number[][]> {
    return this.embed('passages', texts, onProgress);
  }

  /** Refuses work from now on. The model stays loaded in the thread: another load of it is instant. */
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private async embed(kind: 'queries' | 'passages', texts: string[], onProgress?: (done: number, total: number) => void): Promise<number[][]> {
    if (this.closed) throw new Error('the embedding model was closed');
    if (texts.length === 0) return [];
    const reply = await this.thread.request((id) => ({ type: 'embed', id, key: this.key, kind, texts }), onProgress);
    if (reply.type === 'error') throw new Error(reply.message);
    if (reply.type !== 'vectors') throw new Error(`unexpected reply ${reply.type} from the model thread`);
    const { data } = reply;
    const width = this.dimension;
    return texts.map((_, row) => Array.from(data.subarray(row * width, (row + 1) * width)));
  }
}
