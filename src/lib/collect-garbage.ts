/** How long after the first collection the second one runs. */
export const SECOND_COLLECTION_MS = 1000;

/**
 * Loading the model leaves the bytes of its file (about 280 MB of ArrayBuffers, read by
 * transformers.js and parsed by ONNX Runtime) to V8's next major collection, which may not come
 * for a long while. This collects them now, and once more a second later, when the last
 * reference (held until the loading promises settle) is gone; the second collection never keeps
 * the process alive. Needs node --expose-gc (the start commands pass it); a no-op without.
 */
export function collectLoadGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  gc();
  setTimeout(gc, SECOND_COLLECTION_MS).unref();
}
