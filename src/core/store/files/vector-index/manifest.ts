/**
 * `manifest.json`: which files make up the index, with their sizes and checksums, the model the
 * vectors came from, and its own checksum. Written last and atomically: a manifest only ever
 * names files that were complete and fsynced before it was written.
 */
import { z } from 'zod';
import type { PrefixScheme } from '../../../model/index.js';
import { sha256 } from '../checked-file.js';

export const FORMAT = 'news-quote-bot/vector-index';
export const FORMAT_VERSION = 2;
export const MANIFEST = 'manifest.json';

const name = z.string().regex(/^[\w.-]+$/);
const sha = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.number().int().nonnegative();

const manifestSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(FORMAT_VERSION),
  modelId: z.string(),
  dimension: z.number().int().positive(),
  prefix: z.object({ name: z.string(), query: z.string(), passage: z.string() }),
  buildId: z.string(),
  builtAt: z.string(),
  segments: z.array(z.object({ name, bytes: count, headSha256: sha, count })),
  table: z.object({ name, bytes: count, sha256: sha, passages: count }),
  graph: z.object({ name, bytes: count, sha256: sha, nodes: count, capacity: count, m: count, efConstruction: count }).nullable(),
});

export type Manifest = z.infer<typeof manifestSchema>;

export function serializeManifest(m: Manifest): string {
  return `${JSON.stringify({ ...m, checksum: sha256(JSON.stringify(m)) }, null, 1)}\n`;
}

/** The manifest, its version when it is an older format, or the problem in one line. */
export function parseManifest(text: string): { manifest: Manifest } | { legacy: number; body: Record<string, unknown> } | { problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { problem: `corrupt: ${MANIFEST} is not valid JSON (${text.length} bytes; truncated?)` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { problem: `corrupt: ${MANIFEST} is not an object` };
  const { checksum, ...body } = raw as Record<string, unknown>;
  if (typeof checksum !== 'string' || checksum !== sha256(JSON.stringify(body))) {
    return { problem: `corrupt: ${MANIFEST} fails its own checksum (edited or damaged)` };
  }
  if (body['format'] !== FORMAT) return { problem: `corrupt: ${MANIFEST} is not a vector index manifest` };
  if (body['version'] === 1) return { legacy: 1, body };
  if (body['version'] !== FORMAT_VERSION) {
    return { problem: `unsupported: ${MANIFEST} is format version ${String(body['version'])}, this code reads ${FORMAT_VERSION}` };
  }
  const parsed = manifestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: `corrupt: ${MANIFEST} field ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}` };
  }
  return { manifest: parsed.data };
}

/** What the index is checked against. */
export interface ModelExpectation {
  modelId: string;
  dimension: number;
  /** Also require this prefix scheme name when given. */
  prefixScheme?: string;
  prefix?: PrefixScheme;
}

/** Why an index built with another model cannot be used: one line to load, one to update; null when it can. */
export function compareModel(m: Pick<Manifest, 'modelId' | 'dimension' | 'prefix'>, expect: ModelExpectation): { load: string; update: string } | null {
  const was = `${m.modelId} (dimension ${m.dimension}, prefix scheme ${m.prefix.name})`;
  const now = `${expect.modelId} (dimension ${expect.dimension}${expect.prefix ? `, prefix scheme ${expect.prefix.name}` : ''})`;
  const load = `built with another model: index has ${was}, expected ${now}`;
  if (m.modelId !== expect.modelId) return { load, update: `model changed: ${m.modelId} → ${expect.modelId}` };
  if (m.dimension !== expect.dimension) return { load, update: `dimension changed: ${m.dimension} → ${expect.dimension}` };
  const wantedName = expect.prefix?.name ?? expect.prefixScheme;
  if (wantedName !== undefined && wantedName !== m.prefix.name) return { load, update: `prefix scheme changed: ${m.prefix.name} → ${wantedName}` };
  // Same scheme name with different strings would silently mix two embeddings in one store.
  if (expect.prefix && (expect.prefix.passage !== m.prefix.passage || expect.prefix.query !== m.prefix.query)) {
    return { load, update: `prefix strings of scheme ${m.prefix.name} changed` };
  }
  return null;
}
