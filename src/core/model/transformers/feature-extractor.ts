/**
 * Opens a model folder as transformers.js' `pipeline('feature-extraction', …)` would, except
 * that the ONNX session is created from the model file's path.
 *
 * pipeline() reads the file into JavaScript memory twice over (a Buffer, then a Uint8Array
 * copy) and hands onnxruntime the bytes, of which onnxruntime keeps a copy of its own. For
 * multilingual-e5-small (140 MB) that is about 280 MB of garbage that stays resident until the
 * thread's next full collection, plus 134 MB held for good; at 100,000 passages it is what
 * pushed a start with the model over 1.2 GB. Given a path, onnxruntime reads the file itself.
 * The tokenizer, the configuration and the pipeline's pooling are the library's own, so the
 * vectors are the same (test/gate compares them with the reference implementation's).
 *
 * It builds the pipeline from the library's internals (AutoModel.MODEL_CLASS_MAPPINGS, the
 * classes' constructors): extractorShapeProblems says whether they are as this was written
 * against, and openExtractor (index.ts) uses pipeline() itself when they are not.
 */
import { createRequire } from 'node:module';
import type * as Transformers from '@xenova/transformers';

type Library = typeof Transformers;
export type FeatureExtractor = Transformers.FeatureExtractionPipeline;

/** The slice of onnxruntime-node used here. */
export interface OnnxRuntime {
  InferenceSession: { create(path: string, options: { executionProviders: string[] }): Promise<unknown> };
}

/**
 * The onnxruntime-node transformers.js itself imports (its dependency, not ours): one runtime,
 * one version. Null when it cannot be found from the library's folder.
 */
export function libraryOnnxRuntime(): unknown {
  try {
    const library = createRequire(import.meta.url).resolve('@xenova/transformers');
    return createRequire(library)('onnxruntime-node') as unknown;
  } catch {
    return null;
  }
}

type ModelClass = new (config: unknown, session: unknown) => Transformers.PreTrainedModel;

/**
 * What openFeatureExtractor relies on beyond the library's documented API, as a list of what is
 * not as expected (empty when all is): AutoModel.MODEL_CLASS_MAPPINGS, an array of maps from a
 * model type to `[class name, class]` (checked with `bert`); the PreTrainedModel and
 * FeatureExtractionPipeline classes, built here by hand; AutoConfig and AutoTokenizer; and the
 * runtime's InferenceSession.create.
 */
export function extractorShapeProblems(library: unknown, runtime: unknown): string[] {
  const lib = (isObject(library) ? library : {}) as Record<string, unknown>;
  const problems: string[] = [];
  const mappings = isObject(lib.AutoModel) ? (lib.AutoModel as { MODEL_CLASS_MAPPINGS?: unknown }).MODEL_CLASS_MAPPINGS : undefined;
  if (!Array.isArray(mappings)) problems.push('AutoModel.MODEL_CLASS_MAPPINGS is not an array');
  else if (!mappings.every((m) => isObject(m) && typeof (m as { get?: unknown }).get === 'function')) problems.push('AutoModel.MODEL_CLASS_MAPPINGS holds something other than maps');
  else if (!mappings.some((m) => isModelEntry((m as Map<string, unknown>).get('bert')))) problems.push("AutoModel.MODEL_CLASS_MAPPINGS maps 'bert' to no [name, class] entry");
  for (const name of ['PreTrainedModel', 'FeatureExtractionPipeline']) if (typeof lib[name] !== 'function') problems.push(`${name} is not a class`);
  for (const name of ['AutoConfig', 'AutoTokenizer']) {
    if (!isObject(lib[name]) || typeof (lib[name] as { from_pretrained?: unknown }).from_pretrained !== 'function') problems.push(`${name}.from_pretrained is not a function`);
  }
  const session = isObject(runtime) ? (runtime as { InferenceSession?: unknown }).InferenceSession : undefined;
  if (!isObject(session) || typeof (session as { create?: unknown }).create !== 'function') {
    problems.push("the library's onnxruntime-node (InferenceSession.create) was not found");
  }
  return problems;
}

function isModelEntry(entry: unknown): boolean {
  return Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'function';
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

/**
 * `name` is what transformers.js resolves against `env.localModelPath` (the caller sets it);
 * `onnxFile` is that folder's model file. Only for a library whose shape extractorShapeProblems
 * found as expected (openExtractor checks it at load).
 */
export async function openFeatureExtractor(
  library: Library,
  name: string,
  onnxFile: string,
  runtime = libraryOnnxRuntime() as OnnxRuntime,
): Promise<FeatureExtractor> {
  const [config, tokenizer, session] = await Promise.all([
    library.AutoConfig.from_pretrained(name),
    library.AutoTokenizer.from_pretrained(name),
    // transformers.js falls back to its WebAssembly runtime when the native one cannot run a
    // model; nothing this bot loads needs that, and a failure here is reported as the load's.
    runtime.InferenceSession.create(onnxFile, { executionProviders: ['cpu'] }),
  ]);
  const Model = modelClassFor(library, (config as { model_type?: string }).model_type);
  return new library.FeatureExtractionPipeline({ task: 'feature-extraction', model: new Model(config, session), tokenizer });
}

/** The class AutoModel would pick for this model type; its base class when it knows none (as AutoModel does). */
function modelClassFor(library: Library, modelType: string | undefined): ModelClass {
  for (const mapping of library.AutoModel.MODEL_CLASS_MAPPINGS) {
    const entry = modelType === undefined ? undefined : (mapping.get(modelType) as [string, ModelClass] | undefined);
    if (entry) return entry[1];
  }
  return library.PreTrainedModel as unknown as ModelClass;
}
