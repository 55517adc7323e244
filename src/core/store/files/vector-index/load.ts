import path from 'node:path';
import { readText } from '../checked-file.js';
import { inspect } from './inspect.js';
import { MANIFEST, type ModelExpectation } from './manifest.js';
import { makeIndex, type VectorIndex } from './search.js';

/** What {@link loadVectorIndex} checks the index against. */
export type LoadExpectation = Omit<ModelExpectation, 'prefix'>;

/** Result of {@link loadVectorIndex}: the index, or one line saying why it cannot be used. */
export type LoadResult = { ok: true; index: VectorIndex } | { ok: false; problem: string };

/**
 * Loads the index in `dir` after checking every file against the manifest. Never throws for a
 * bad index: `problem` says, in one line, whether it is missing, truncated, corrupt, built with
 * another model, or does not match its manifest.
 */
export async function loadVectorIndex(dir: string, expect: LoadExpectation): Promise<LoadResult> {
  // An update running in another process may delete the files an old manifest names between our
  // reading the manifest and reading them; when the manifest changed meanwhile, read again.
  for (let attempt = 0; ; attempt++) {
    const found = await inspect(dir, expect);
    const m = found.manifest;
    if (m && found.store && found.table && !found.problem && (found.graph !== null || m.graph === null)) {
      const facts = { modelId: m.modelId, dimension: m.dimension, prefixScheme: m.prefix.name, builtAt: m.builtAt };
      return { ok: true, index: makeIndex(facts, found.store, found.table, found.graph) };
    }
    const problem = found.modelChange?.load ?? found.problem ?? `missing: no index in ${dir}`;
    if (attempt >= 2 || (await readText(path.join(dir, MANIFEST))) === found.rawManifest) return { ok: false, problem };
  }
}
