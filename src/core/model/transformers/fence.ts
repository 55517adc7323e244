/**
 * The one place transformers.js is imported for running models, and where the workarounds that
 * rely on its internals are checked and switched on (piece-lookup.ts, feature-extractor.ts).
 *
 * At the first load of a process the library's modules are imported and every internal a
 * workaround relies on is checked for the shape it was written against. A workaround whose
 * internals are all there is used; one whose are not is left off, and the load runs on the
 * library's own path instead (its trie, its pipeline()), which is slower or takes more memory
 * but gives the same vectors. One line says so, once: an upgrade of the library that changed
 * an internal is never a reason to fail a load or to blame the model's files.
 * docs/transformers-upgrade.md is the checklist for such an upgrade.
 */
import type * as Transformers from '@xenova/transformers';
import { withEnv, warnLine, type LibraryEnv, type ModelPlace } from './env.js';
import { extractorShapeProblems, libraryOnnxRuntime, openFeatureExtractor, type FeatureExtractor, type OnnxRuntime } from './feature-extractor.js';
import { installPieceLookup, TRIE_MODULE, trieShapeProblems, type TrieModule } from './piece-lookup.js';

type Library = typeof Transformers;

/** The library's modules the fence uses; `trie` and `onnxRuntime` are undefined/null when they could not be found. */
export interface LibraryModules {
  /** `@xenova/transformers` itself. */
  library: Library;
  /** The library's module holding its Unigram tokenizer's trie (TRIE_MODULE). */
  trie: unknown;
  /** The onnxruntime-node the library runs on. */
  onnxRuntime: unknown;
}

/** Which workarounds a load runs with (false: the library's own path, same vectors). */
export interface Workarounds {
  /** The tokenizer's trie is a PieceLookup (piece-lookup.ts). */
  pieceLookup: boolean;
  /** The ONNX session was created from the model file's path (feature-extractor.ts). */
  pathSession: boolean;
}

export interface FenceOptions {
  /** Imports the library's modules; the installed library by default (tests pass altered copies). */
  modules?: () => Promise<LibraryModules>;
  /** Where the one line about workarounds left off goes (console.warn by default); the first load's wins. */
  warn?: (line: string) => void;
}

interface Fence {
  library: Library;
  /** Null when the path-based session is off. */
  runtime: OnnxRuntime | null;
  workarounds: Workarounds;
}

/**
 * transformers.js (and onnxruntime under it) takes a good part of a second to import: only a
 * process that loads a model pays for it, not lexical mode or the terminal chat without one.
 */
async function installedModules(): Promise<LibraryModules> {
  const trie: unknown = await import(TRIE_MODULE).catch(() => undefined);
  const library = await import('@xenova/transformers');
  return { library, trie, onnxRuntime: libraryOnnxRuntime() };
}

/** One fence per way of importing the library: for the installed one, one per process. */
const fences = new WeakMap<() => Promise<LibraryModules>, Promise<Fence>>();

function fenceFor(options: FenceOptions): Promise<Fence> {
  const modules = options.modules ?? installedModules;
  let fence = fences.get(modules);
  if (!fence) fences.set(modules, (fence = openFence(modules, options.warn ?? warnLine)));
  return fence;
}

/** The shape check: run once per fence, before any tokenizer is built. */
async function openFence(modules: () => Promise<LibraryModules>, warn: (line: string) => void): Promise<Fence> {
  const { library, trie, onnxRuntime } = await modules();
  const trieProblems = trieShapeProblems(trie);
  // Before any tokenizer is built: see piece-lookup.ts.
  const pieceLookup = trieProblems.length === 0 && installPieceLookup(trie as TrieModule);
  if (trieProblems.length === 0 && !pieceLookup) trieProblems.push('the trie replacement could not be installed');
  const extractorProblems = extractorShapeProblems(library, onnxRuntime);
  const pathSession = extractorProblems.length === 0;
  const workarounds = { pieceLookup, pathSession };
  const problems = [...trieProblems, ...extractorProblems];
  if (problems.length > 0) warn(fallbackLine(library, problems, workarounds));
  return { library, runtime: pathSession ? (onnxRuntime as OnnxRuntime) : null, workarounds };
}

function fallbackLine(library: unknown, problems: string[], { pieceLookup, pathSession }: Workarounds): string {
  const version = (library as { env?: { version?: unknown } }).env?.version;
  const own = [pieceLookup ? '' : 'its own tokenizer trie, slower to load', pathSession ? '' : 'its own pipeline(), more memory'].filter(Boolean);
  return (
    `transformers.js ${typeof version === 'string' ? version : '(unknown version)'} is not shaped as this code expects (${problems.join('; ')}): ` +
    `models load on the library's own path instead (${own.join('; ')}), same vectors. See docs/transformers-upgrade.md.`
  );
}

/** A model to open: what transformers.js calls it, where its files are, and its ONNX file. */
export interface ExtractorSource {
  /** What the library resolves against its local model path: the folder's name, or the hub id. */
  name: string;
  place: ModelPlace;
  /** The model file, opened by path; null when the files are still to be downloaded (only pipeline() fetches). */
  onnxFile: string | null;
}

/**
 * Opens a feature-extraction model as the library's `pipeline('feature-extraction', name,
 * { quantized: true })` would, with the workarounds the installed library allows. Loads take
 * turns (the library's settings are global); its console warnings are silenced meanwhile.
 */
export async function openExtractor(source: ExtractorSource, options: FenceOptions = {}): Promise<{ extract: FeatureExtractor; workarounds: Workarounds }> {
  const { library, runtime, workarounds } = await fenceFor(options);
  const { name, onnxFile } = source;
  const byPath = onnxFile !== null && runtime !== null;
  const extract = await withEnv(library.env as LibraryEnv, source.place, () =>
    byPath ? openFeatureExtractor(library, name, onnxFile, runtime) : library.pipeline('feature-extraction', name, { quantized: true }),
  );
  return { extract, workarounds: { pieceLookup: workarounds.pieceLookup, pathSession: byPath } };
}

/** The hub transformers.js downloads from (its `env.remoteHost`). */
export async function hubHost(options: FenceOptions = {}): Promise<string> {
  return ((await fenceFor(options)).library.env as LibraryEnv).remoteHost;
}
