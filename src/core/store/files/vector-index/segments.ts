/**
 * The vector store: every vector the index knows (each passage text and each sentence, embedded
 * with the passage prefix, unit length), keyed by a 128-bit hash of the text, in one or more
 * append-only segment files. An update that embeds new texts writes them to a new segment; no
 * segment is ever rewritten, except when compaction merges them all (once a quarter of the rows
 * are unused, or there are many segments).
 *
 * Segment `vectors-<id>.bin`: `NQBV`, u32 version (2), u32 dimension, u32 count, then `count`
 * 16-byte hashes in ascending order, `count` u32 CRC-32s (one per row), then `count × dimension`
 * float32, little-endian. The manifest holds the SHA-256 of everything before the floats and the
 * file's size; each row is checked against its CRC when read. So loading reads a few bytes per
 * vector, not the vectors: they are read from the file (the OS keeps it cached) as answers need them.
 *
 * Rows are numbered across segments in the manifest's order.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { errorLine, sha256 } from '../checked-file.js';
import { isCode } from '../../../../lib/file-lock.js';
import { crc32 } from './crc32.js';
import { TEXT_HASH_BYTES } from '../../shared/index.js';

export const HASH_BYTES = TEXT_HASH_BYTES;
const MAGIC = 'NQBV';
const VERSION = 2;
const HEADER_BYTES = 16;
const LITTLE_ENDIAN = os.endianness() === 'LE';

/** What the manifest records of a segment. */
interface SegmentRef {
  name: string;
  /** Size of the whole file. */
  bytes: number;
  /** SHA-256 of the header, hashes and CRCs (everything before the vectors). */
  headSha256: string;
  count: number;
}

/** A segment as loaded: its hashes and CRCs in memory, its vectors on disk. */
export interface Segment {
  ref: SegmentRef;
  /** Absolute path. */
  file: string;
  /** Global number of its first row. */
  firstRow: number;
  hashes: Buffer;
  crcs: Uint32Array;
  floatsAt: number;
}

const floatsOffset = (count: number): number => HEADER_BYTES + count * (HASH_BYTES + 4);

/** Writes `rows` (hash hex → unit vector) as a new segment, rows sorted by hash. */
export async function writeSegment(dir: string, name: string, dim: number, rows: ReadonlyMap<string, Float32Array>): Promise<SegmentRef> {
  const hashes = [...rows.keys()].sort();
  const count = hashes.length;
  const floatsAt = floatsOffset(count);
  const buf = Buffer.alloc(floatsAt + count * dim * 4);
  buf.write(MAGIC, 0, 'latin1');
  buf.writeUInt32LE(VERSION, 4);
  buf.writeUInt32LE(dim, 8);
  buf.writeUInt32LE(count, 12);
  hashes.forEach((h, i) => {
    buf.write(h, HEADER_BYTES + i * HASH_BYTES, HASH_BYTES, 'hex');
    const v = rows.get(h)!;
    if (v.length !== dim) throw new Error(`vector index: a vector of dimension ${v.length} in a store of ${dim}`);
    const at = floatsAt + i * dim * 4;
    if (LITTLE_ENDIAN) buf.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), at);
    else v.forEach((x, j) => buf.writeFloatLE(x, at + j * 4));
    buf.writeUInt32LE(crc32(buf.subarray(at, at + dim * 4)), HEADER_BYTES + count * HASH_BYTES + i * 4);
  });
  await writeFileAtomic(path.join(dir, name), buf, { fsync: true });
  return { name, bytes: buf.length, headSha256: sha256(buf.subarray(0, floatsAt)), count };
}

/** Reads a segment's head and checks it against the manifest; the problem in one line otherwise. */
export async function openSegment(dir: string, ref: SegmentRef, dim: number, firstRow: number, namedBy: string): Promise<Segment | string> {
  const file = path.join(dir, ref.name);
  const floatsAt = floatsOffset(ref.count);
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    return isCode(err, 'ENOENT') ? `missing: ${ref.name} (named by ${namedBy})` : `unreadable: ${ref.name} (${errorLine(err)})`;
  }
  try {
    const { size } = await fh.stat();
    if (size < ref.bytes) return `truncated: ${ref.name} has ${size} bytes, ${namedBy} says ${ref.bytes}`;
    if (size > ref.bytes) return `manifest does not match ${ref.name}: it has ${size} bytes, ${namedBy} says ${ref.bytes}`;
    if (ref.bytes !== floatsAt + ref.count * dim * 4) return `manifest does not match ${ref.name}: ${ref.count} vectors of dimension ${dim} do not take ${ref.bytes} bytes`;
    const head = Buffer.alloc(floatsAt);
    const { bytesRead } = await fh.read(head, 0, floatsAt, 0);
    if (bytesRead !== floatsAt) return `truncated: ${ref.name}`;
    if (sha256(head) !== ref.headSha256) return `corrupt: ${ref.name} does not match its checksum in ${namedBy}`;
    if (head.toString('latin1', 0, 4) !== MAGIC) return `corrupt: ${ref.name} is not a vector store`;
    if (head.readUInt32LE(4) !== VERSION) return `unsupported: ${ref.name} has store version ${head.readUInt32LE(4)}`;
    if (head.readUInt32LE(8) !== dim || head.readUInt32LE(12) !== ref.count) return `manifest does not match ${ref.name}: it holds ${head.readUInt32LE(12)} vectors of dimension ${head.readUInt32LE(8)}`;
    const hashes = head.subarray(HEADER_BYTES, HEADER_BYTES + ref.count * HASH_BYTES);
    for (let i = 1; i < ref.count; i++) {
      if (Buffer.compare(hashes.subarray((i - 1) * HASH_BYTES, i * HASH_BYTES), hashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES)) >= 0) {
        return `corrupt: ${ref.name} stores its texts out of order`;
      }
    }
    const crcBytes = head.subarray(HEADER_BYTES + ref.count * HASH_BYTES, floatsAt);
    const crcs = new Uint32Array(ref.count);
    for (let i = 0; i < ref.count; i++) crcs[i] = crcBytes.readUInt32LE(i * 4);
    return { ref, file, firstRow, hashes, crcs, floatsAt };
  } finally {
    await fh.close();
  }
}

/** Row of `hash` (16 raw bytes) in the segment, or -1: a binary search over its sorted hashes. */
export function findInSegment(s: Segment, hash: Buffer): number {
  let lo = 0;
  let hi = s.ref.count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = Buffer.compare(s.hashes.subarray(mid * HASH_BYTES, (mid + 1) * HASH_BYTES), hash);
    if (c === 0) return s.firstRow + mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export function hashAt(s: Segment, row: number): string {
  const i = row - s.firstRow;
  return s.hashes.toString('hex', i * HASH_BYTES, (i + 1) * HASH_BYTES);
}

// Segment files are immutable, so one descriptor per file serves every index that names it.
const descriptors = new Map<string, number>();

function descriptor(file: string): number {
  let fd = descriptors.get(file);
  if (fd === undefined) {
    fd = openSync(file, 'r');
    descriptors.set(file, fd);
  }
  return fd;
}

/** Closes the descriptors of segment files that were deleted. */
export function forgetSegmentFiles(files: Iterable<string>): void {
  for (const file of files) {
    const fd = descriptors.get(file);
    if (fd === undefined) continue;
    descriptors.delete(file);
    try {
      closeSync(fd);
    } catch {
      // Already closed: nothing to do.
    }
  }
}

/** Reads one row's vector, or null when the file no longer holds it intact (CRC mismatch, I/O error). */
export function readRow(s: Segment, row: number, dim: number): Float32Array | null {
  const i = row - s.firstRow;
  const bytes = Buffer.alloc(dim * 4);
  try {
    if (readSync(descriptor(s.file), bytes, 0, bytes.length, s.floatsAt + i * dim * 4) !== bytes.length) return null;
  } catch {
    return null;
  }
  if (crc32(bytes) !== s.crcs[i]) return null;
  if (LITTLE_ENDIAN) return new Float32Array(bytes.buffer, bytes.byteOffset, dim);
  return Float32Array.from({ length: dim }, (_, j) => bytes.readFloatLE(j * 4));
}
