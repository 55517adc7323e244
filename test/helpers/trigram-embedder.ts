import type { Embedder } from '../../src/core/model/types.js';

/**
 * A deterministic bag-of-letter-trigrams embedder: fast, no model files, and similar texts get
 * similar vectors. `delayMs` makes each embedding call slow (to keep two indexers overlapping).
 */
export function trigramEmbedder(dimension = 64, delayMs = 0): Embedder {
  const embed = (t: string): number[] => {
    const v = new Array<number>(dimension).fill(0);
    const s = ` ${t.toLowerCase()} `;
    for (let i = 0; i + 3 <= s.length; i++) {
      let h = 2166136261;
      for (const c of s.slice(i, i + 3)) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
      v[(h >>> 0) % dimension]! += 1;
    }
    return v;
  };
  const pause = (): Promise<void> => (delayMs > 0 ? new Promise((r) => setTimeout(r, delayMs)) : Promise.resolve());
  return {
    modelId: 'test/trigrams',
    name: 'trigrams',
    dimension,
    prefix: { name: 'none', query: '', passage: '' },
    embedQueries: async (texts) => texts.map(embed),
    embedPassages: async (texts, onProgress) => {
      await pause();
      onProgress?.(texts.length, texts.length);
      return texts.map(embed);
    },
  } as Embedder;
}
