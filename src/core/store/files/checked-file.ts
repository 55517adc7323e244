/** Index data files: written atomically and durably, read back against their size and checksum. */
import { createHash } from 'node:crypto';
import { open, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { isCode } from '../../../lib/file-lock.js';

/** Name, size and SHA-256 of a data file, as a manifest records them. */
export interface FileRef {
  name: string;
  bytes: number;
  sha256: string;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes `data` to `dir/name` through a temporary file, fsynced, then renamed. */
export async function writeDataFile(dir: string, name: string, data: Buffer): Promise<FileRef> {
  await writeFileAtomic(path.join(dir, name), data, { fsync: true });
  return { name, bytes: data.byteLength, sha256: sha256(data) };
}

/** The file's bytes if its size and SHA-256 match `ref`, else one line saying what is wrong. */
export async function readChecked(dir: string, ref: FileRef, namedBy: string): Promise<Buffer | string> {
  const read = await readUnchecked(dir, ref, namedBy);
  if (typeof read === 'string') return read;
  return (await read.verified) ?? read.bytes;
}

/**
 * Checks a file's size and SHA-256 against `ref` without holding it in memory: for files that
 * another library then reads itself (hnswlib's graph, 126 MB at 100,000 passages, which read
 * whole would sit beside hnswlib's own copy until the next collection). Null when it matches.
 */
export async function checkFile(dir: string, ref: FileRef, namedBy: string): Promise<string | null> {
  let file;
  try {
    file = await hashFile(path.join(dir, ref.name));
  } catch (err) {
    return readProblem(err, ref, namedBy);
  }
  return sizeProblem(file.bytes, ref, namedBy) ?? (file.sha256 === ref.sha256 ? null : checksumProblem(ref, namedBy));
}

const readProblem = (err: unknown, ref: FileRef, namedBy: string): string =>
  isCode(err, 'ENOENT') ? `missing: ${ref.name} (named by ${namedBy})` : `unreadable: ${ref.name} (${errorLine(err)})`;

function sizeProblem(bytes: number, ref: FileRef, namedBy: string): string | null {
  if (bytes < ref.bytes) return `truncated: ${ref.name} has ${bytes} bytes, ${namedBy} says ${ref.bytes}`;
  if (bytes > ref.bytes) return `manifest does not match ${ref.name}: it has ${bytes} bytes, ${namedBy} says ${ref.bytes}`;
  return null;
}

const checksumProblem = (ref: FileRef, namedBy: string): string => `corrupt: ${ref.name} does not match its checksum in ${namedBy}`;

const HASH_CHUNK_BYTES = 4 << 20;

/** Size and SHA-256 of a file, read a chunk at a time. */
export async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const handle = await open(file, 'r');
  try {
    const hash = createHash('sha256');
    const chunk = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, bytes);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
      bytes += bytesRead;
    }
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

/**
 * The file's bytes at once (size checked), and the checksum's verdict later: null when it
 * matches, else the problem. For data that may be decoded while it is being hashed, and thrown
 * away if the hash says so; never for data handed to code that trusts its input.
 */
export async function readUnchecked(dir: string, ref: FileRef, namedBy: string): Promise<{ bytes: Buffer; verified: Promise<string | null> } | string> {
  let buf: Buffer;
  try {
    buf = await readFile(path.join(dir, ref.name));
  } catch (err) {
    return readProblem(err, ref, namedBy);
  }
  const wrongSize = sizeProblem(buf.length, ref, namedBy);
  if (wrongSize) return wrongSize;
  // Hashed here, on the main thread: WebCrypto's digest, which runs on the thread pool, first
  // copies its input on the main thread, which costs as much for files of this size.
  const verified = Promise.resolve(sha256(buf) === ref.sha256 ? null : checksumProblem(ref, namedBy));
  return { bytes: buf, verified };
}

export async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

export async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

export function errorLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}

/** A fresh, sortable id for data files of one write. */
export function buildId(): string {
  return `${Date.now().toString(36)}-${createHash('sha256').update(`${process.pid}:${performance.now()}:${Math.random()}`).digest('hex').slice(0, 8)}`;
}
