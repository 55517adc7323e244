/**
 * The model thread: loads embedding models (tokenizer and ONNX session) and embeds texts for the
 * thread that started it (thread/index.ts). Not imported by anything else.
 */
import { parentPort } from 'node:worker_threads';
import { collectLoadGarbage } from '../../../lib/collect-garbage.js';
import type { Embedder } from '../types.js';
import { loadEmbedder } from '../embedder.js';
import type { ThreadReply, ThreadRequest } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('core/model/thread/worker.ts runs in a worker thread only');

const models = new Map<string, Embedder>();

/**
 * A load leaves garbage in this thread's heap (the tokenizer's parsed JSON, 20–40 MB for e5; a
 * just-downloaded model's file bytes) until its next major collection, which may not come for a
 * long while. Collected once the thread has had nothing to do for a moment: a full collection
 * takes about 0.1 s, which the first question would otherwise wait for.
 */
const COLLECT_AFTER_IDLE_MS = 300;
let collection: NodeJS.Timeout | null = null;
const collectWhenIdle = (): void => {
  collection ??= setTimeout(() => {
    collection = null;
    collectLoadGarbage();
  }, COLLECT_AFTER_IDLE_MS);
  collection.refresh();
};
const reply = (message: ThreadReply, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

port.on('message', (request: ThreadRequest) => {
  if (request.type === 'load') {
    const { id, key } = request;
    loadEmbedder(request.options).then((loaded) => {
      if (!loaded.ok) return reply({ type: 'loaded', id, ok: false, message: loaded.message });
      const { embedder } = loaded;
      models.set(key, embedder);
      reply({ type: 'loaded', id, ok: true, modelId: embedder.modelId, name: embedder.name, dimension: embedder.dimension, prefix: embedder.prefix });
      collectWhenIdle();
    }, (error: unknown) => reply({ type: 'loaded', id, ok: false, message: messageOf(error) }));
    return;
  }
  const { id, key, kind, texts } = request;
  if (collection) collection.refresh();
  const embedder = models.get(key);
  if (!embedder) return reply({ type: 'error', id, message: 'no such model in this thread' });
  const work = kind === 'queries' ? embedder.embedQueries(texts) : embedder.embedPassages(texts, (done, total) => reply({ type: 'progress', id, done, total }));
  work.then(
    (vectors) => {
      const data = new Float32Array(vectors.length * embedder.dimension);
      vectors.forEach((v, row) => data.set(v, row * embedder.dimension));
      reply({ type: 'vectors', id, data }, [data.buffer as ArrayBuffer]);
    },
    (error: unknown) => reply({ type: 'error', id, message: messageOf(error) }),
  );
});
