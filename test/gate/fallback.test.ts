import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as transformers from '@xenova/transformers';
import { describe, expect, it } from 'vitest';
import { loadEmbedder } from '../../src/core/model/embedder.js';
import type { LibraryModules } from '../../src/core/model/transformers/index.js';
import { libraryOnnxRuntime } from '../../src/core/model/transformers/feature-extractor.js';
import { TRIE_MODULE } from '../../src/core/model/transformers/piece-lookup.js';
import { SEEDS_DIR, seedFiles } from '../helpers/seeds.js';
import { requireImportedModel } from './model.js';

describe("the imported model on the library's own path", () => {
  it('gives the vectors of the fenced path (PieceLookup, path-based session) when the internals have changed', async () => {
    const model = requireImportedModel();
    const passages = seedFiles()
      .flatMap((f) => readFileSync(path.join(SEEDS_DIR, f), 'utf8').split(/\n\s*\n/u))
      .slice(0, 40);
    const queries = ['Qui a signé le traité ?', 'When did the reform pass?', 'Emoji 😀 et 中文 mêlés', 'prix de l’énergie'];
    const embed = async (library?: Parameters<typeof loadEmbedder>[1]) => {
      const loaded = await loadEmbedder({ model, modelsDir: path.dirname(model), offline: true }, library);
      if (!loaded.ok) throw new Error(loaded.message);
      return { workarounds: loaded.workarounds, vectors: [...(await loaded.embedder.embedQueries(queries)), ...(await loaded.embedder.embedPassages(passages))] };
    };
    // First, while this file's library trie is still its own (vitest isolates files).
    const trie = (await import(TRIE_MODULE as string)) as { CharTrie: unknown };
    const lines: string[] = [];
    const changed = (): Promise<LibraryModules> =>
      Promise.resolve({ library: { ...transformers, AutoModel: {} } as never, trie: { CharTrieV3: trie.CharTrie }, onnxRuntime: libraryOnnxRuntime() });
    const own = await embed({ modules: changed, warn: (line) => lines.push(line) });
    expect(own.workarounds).toEqual({ pieceLookup: false, pathSession: false });
    expect(lines).toHaveLength(1);
    const fenced = await embed();
    expect(fenced.workarounds).toEqual({ pieceLookup: true, pathSession: true });
    expect(fenced.vectors).toHaveLength(queries.length + passages.length);
    let max = 0;
    fenced.vectors.forEach((v, i) => v.forEach((x, j) => (max = Math.max(max, Math.abs(x - own.vectors[i]![j]!)))));
    expect(max).toBeLessThan(1e-5);
  });
});
