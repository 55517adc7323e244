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
 */
import { createRequire } from 'node:module';
import type * as Transformers from '@xenova/transformers';

type Library = typeof Transformers;
export type FeatureExtractor = Transformers.FeatureExtractionPipeline;

/** The slice of onnxruntime-node used here. */
interface OnnxRuntime {
  InferenceSession: { create(path: string, options: { executionProviders: string[] }): Promise<unknown> };
}

/** The onnxruntime-node transformers.js itself imports (its dependency, not ours): one runtime, one version. */
function onnxRuntime(): OnnxRuntime {
  const library = createRequire(import.meta.url).resolve('@xenova/transformers');
  return createRequire(library)('onnxruntime-node') as OnnxRuntime;
}

type ModelClass = new (config: unknown, session: unknown) => Transformers.PreTrainedModel;

/**
 * `name` is what transformers.js resolves against `env.localModelPath` (the caller sets it);
 * `onnxFile` is that folder's model file.
 */
export async function openFeatureExtractor(library: Library, name: string, onnxFile: string): Promise<FeatureExtractor> {
  const [config, tokenizer, session] = await Promise.all([
    library.AutoConfig.from_pretrained(name),
    library.AutoTokenizer.from_pretrained(name),
    // transformers.js falls back to its WebAssembly runtime when the native one cannot run a
    // model; nothing this bot loads needs that, and a failure here is reported as the load's.
    onnxRuntime().InferenceSession.create(onnxFile, { executionProviders: ['cpu'] }),
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
