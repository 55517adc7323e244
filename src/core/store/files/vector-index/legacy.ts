/**
 * Reading the vectors of a version 1 index (one `vectors-<build>.bin` rewritten whole on every
 * update), so that upgrading keeps every embedding: on a small machine, embedding a year of news
 * again with a neural model takes hours.
 */
import { z } from 'zod';
import { readChecked } from '../checked-file.js';
import { HASH_BYTES } from './segments.js';
import { MANIFEST } from './manifest.js';

const v1Schema = z.object({
  modelId: z.string(),
  dimension: z.number().int().positive(),
  prefix: z.object({ name: z.string(), query: z.string(), passage: z.string() }),
  vectors: z.object({ name: z.string().regex(/^[\w.-]+$/), bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/), count: z.number().int().nonnegative() }),
});
type LegacyManifest = z.infer<typeof v1Schema>;

export function parseLegacy(body: Record<string, unknown>): LegacyManifest | null {
  const parsed = v1Schema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/** Every vector of a version 1 store, by text hash; or the problem in one line. */
export async function readLegacyVectors(dir: string, m: LegacyManifest): Promise<Map<string, Float32Array> | string> {
  const buf = await readChecked(dir, m.vectors, MANIFEST);
  if (typeof buf === 'string') return buf;
  const { dimension: dim, vectors } = m;
  const count = vectors.count;
  const floatsAt = 16 + count * HASH_BYTES;
  if (buf.toString('latin1', 0, 4) !== 'NQBV' || buf.readUInt32LE(4) !== 1 || buf.readUInt32LE(8) !== dim || buf.readUInt32LE(12) !== count || buf.length !== floatsAt + count * dim * 4) {
    return `corrupt: ${vectors.name} is not the version 1 store its manifest describes`;
  }
  const out = new Map<string, Float32Array>();
  for (let i = 0; i < count; i++) {
    const v = new Float32Array(dim);
    for (let j = 0; j < dim; j++) v[j] = buf.readFloatLE(floatsAt + (i * dim + j) * 4);
    out.set(buf.toString('hex', 16 + i * HASH_BYTES, 16 + (i + 1) * HASH_BYTES), v);
  }
  return out;
}
