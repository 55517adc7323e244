/**
 * A binary file of named sections: typed arrays (read back as views, without copying), lists of
 * strings and small JSON values. Layout: 8-byte magic, u32 version, u32 header length, the JSON
 * header (section names, kinds, offsets, lengths), then each section at an 8-byte aligned offset.
 * Little-endian, as every platform Node runs on today; a big-endian machine refuses the file and
 * the index is rebuilt.
 */
import os from 'node:os';

type Numeric = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float32Array | Float64Array;
export type Section = Numeric | { strings: readonly string[] } | { json: unknown };

const KINDS = {
  Int32Array,
  Uint32Array,
  Uint16Array,
  Uint8Array,
  Float32Array,
  Float64Array,
} as const;
type Kind = keyof typeof KINDS | 'strings' | 'json';

interface Entry {
  name: string;
  kind: Kind;
  offset: number;
  bytes: number;
  /** Number of strings, for `strings` sections (an empty list and a list of one empty string differ). */
  count?: number;
}

/** Strings in a list never contain this separator (words, ids, terms; texts are stored otherwise). */
const SEPARATOR = '\u0000';
const PREFIX_BYTES = 16;
const align = (n: number): number => (n + 7) & ~7;

export function encodeSections(magic: string, version: number, sections: Record<string, Section>): Buffer {
  if (Buffer.byteLength(magic, 'latin1') !== 8) throw new Error(`magic must be 8 bytes: ${magic}`);
  if (os.endianness() !== 'LE') throw new Error('index files are little-endian; this machine is not');
  const parts: { entry: Omit<Entry, 'offset'>; data: Uint8Array }[] = [];
  const counts = new Map<string, number>();
  for (const [name, s] of Object.entries(sections)) {
    let data: Uint8Array;
    let kind: Kind;
    if ('strings' in s) {
      if (s.strings.some((x) => x.includes(SEPARATOR))) throw new Error(`section ${name}: a string contains NUL`);
      data = Buffer.from(s.strings.join(SEPARATOR), 'utf8');
      kind = 'strings';
      counts.set(name, s.strings.length);
    } else if ('json' in s) {
      data = Buffer.from(JSON.stringify(s.json), 'utf8');
      kind = 'json';
    } else {
      data = new Uint8Array(s.buffer, s.byteOffset, s.byteLength);
      kind = s.constructor.name as Kind;
      if (!(kind in KINDS)) throw new Error(`section ${name}: unsupported array ${kind}`);
    }
    const count = counts.get(name);
    parts.push({ entry: count === undefined ? { name, kind, bytes: data.byteLength } : { name, kind, bytes: data.byteLength, count }, data });
  }
  // Offsets depend on the header's length, which depends on the offsets' digits: settle it.
  let headerText = '';
  let entries: Entry[] = [];
  for (let guess = 0; ; ) {
    let at = align(PREFIX_BYTES + guess);
    entries = parts.map((p) => {
      const e = { ...p.entry, offset: at };
      at = align(at + p.entry.bytes);
      return e;
    });
    headerText = JSON.stringify(entries);
    const length = Buffer.byteLength(headerText);
    if (align(PREFIX_BYTES + length) === align(PREFIX_BYTES + guess)) break;
    guess = length;
  }
  const last = entries.at(-1);
  const total = last ? align(last.offset + last.bytes) : align(PREFIX_BYTES + Buffer.byteLength(headerText));
  const out = Buffer.alloc(total);
  out.write(magic, 0, 'latin1');
  out.writeUInt32LE(version, 8);
  out.writeUInt32LE(Buffer.byteLength(headerText), 12);
  out.write(headerText, PREFIX_BYTES, 'utf8');
  entries.forEach((e, i) => out.set(parts[i]!.data, e.offset));
  return out;
}

/** Reads sections out of a buffer produced by {@link encodeSections}. */
export class Sections {
  private readonly entries: Map<string, Entry>;

  private constructor(
    private readonly buf: Buffer,
    entries: Entry[],
  ) {
    this.entries = new Map(entries.map((e) => [e.name, e]));
  }

  /** The reader, or one line saying why the buffer is not such a file. */
  static open(buf: Buffer, magic: string, version: number, name: string): Sections | string {
    if (buf.length < PREFIX_BYTES || buf.toString('latin1', 0, 8) !== magic) return `corrupt: ${name} is not a ${magic.trim()} file`;
    if (buf.readUInt32LE(8) !== version) return `unsupported: ${name} is version ${buf.readUInt32LE(8)}, this code reads ${version}`;
    if (os.endianness() !== 'LE') return `unsupported: ${name} is little-endian and this machine is not`;
    const headerBytes = buf.readUInt32LE(12);
    let entries: Entry[];
    try {
      entries = JSON.parse(buf.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + headerBytes)) as Entry[];
    } catch {
      return `corrupt: ${name} has an unreadable header`;
    }
    if (!Array.isArray(entries) || entries.some((e) => typeof e?.offset !== 'number' || typeof e.bytes !== 'number' || e.offset + e.bytes > buf.length)) {
      return `corrupt: ${name} has sections beyond its end`;
    }
    // Views need their element alignment; a buffer read whole from a file starts at offset 0,
    // but copy into a fresh one otherwise rather than fail.
    const aligned = buf.byteOffset % 8 === 0 ? buf : Buffer.from(buf);
    return new Sections(aligned, entries);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  private entry(name: string, kind: Kind): Entry {
    const e = this.entries.get(name);
    if (!e) throw new Error(`section ${name} is missing`);
    if (e.kind !== kind) throw new Error(`section ${name} is ${e.kind}, not ${kind}`);
    return e;
  }

  array<K extends keyof typeof KINDS>(name: string, kind: K): InstanceType<(typeof KINDS)[K]> {
    const e = this.entry(name, kind);
    const Ctor = KINDS[kind];
    if (e.bytes % Ctor.BYTES_PER_ELEMENT !== 0) throw new Error(`section ${name} has a partial element`);
    return new Ctor(this.buf.buffer as ArrayBuffer, this.buf.byteOffset + e.offset, e.bytes / Ctor.BYTES_PER_ELEMENT) as InstanceType<(typeof KINDS)[K]>;
  }

  strings(name: string): string[] {
    const e = this.entry(name, 'strings');
    if (e.count === 0) return [];
    return this.buf.toString('utf8', e.offset, e.offset + e.bytes).split(SEPARATOR);
  }

  json<T>(name: string): T {
    const e = this.entry(name, 'json');
    return JSON.parse(this.buf.toString('utf8', e.offset, e.offset + e.bytes)) as T;
  }

  /** Raw bytes of a section (for text stored as UTF-8). */
  bytes(name: string): Buffer {
    const e = this.entry(name, 'Uint8Array');
    return this.buf.subarray(e.offset, e.offset + e.bytes);
  }
}
