/** How long after the first collection the second one runs. */
export const SECOND_COLLECTION_MS = 1000;

/**
 * A start leaves large garbage to V8's next major collection, which may not come for a long
 * while: the text index's file once decoded (138 MB at 100,000 passages), the tokenizer's parsed
 * JSON, and a model's file bytes when transformers.js has just downloaded it. This collects it
 * now, and once more a second later, when the last reference (held until the loading promises
 * settle) is gone; the second collection never keeps the process alive. Needs node --expose-gc
 * (the start commands pass it); a no-op without.
 */
export function collectLoadGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  gc();
  setTimeout(gc, SECOND_COLLECTION_MS).unref();
}
