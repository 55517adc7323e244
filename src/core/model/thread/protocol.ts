import type { LoadEmbedderOptions } from '../embedder.js';
import type { PrefixScheme } from '../types.js';

/** Caller → model thread. Models are named by `key`, chosen by the caller when it asks for the load. */
export type ThreadRequest =
  | { type: 'load'; id: number; key: string; options: LoadEmbedderOptions }
  | { type: 'embed'; id: number; key: string; kind: 'queries' | 'passages'; texts: string[] };

/** Model thread → caller: one final reply per request, after progress for passages. */
export type ThreadReply =
  | { type: 'loaded'; id: number; ok: true; modelId: string; name: string; dimension: number; prefix: PrefixScheme }
  | { type: 'loaded'; id: number; ok: false; message: string }
  | { type: 'progress'; id: number; done: number; total: number }
  /** Row-major, `texts.length × dimension`, transferred rather than copied. */
  | { type: 'vectors'; id: number; data: Float32Array }
  | { type: 'error'; id: number; message: string };
