/**
 * The passage table `table-<id>.bin`: each live passage's id, position key, the row of its text's
 * vector and the rows of its sentences' vectors; and, when there is a graph, the row behind each
 * graph label. Rewritten whole by every update (a few bytes per passage), unlike the vectors.
 */
import { Sections, encodeSections } from '../../../../lib/sections.js';

const MAGIC = 'NQBTABLE';
const VERSION = 1;

export interface TableEntry {
  id: string;
  key: string;
  /** Row of the passage text's vector. */
  row: number;
  /** Rows of its sentences' vectors, in order. */
  sentences: readonly number[] | Uint32Array;
}

export interface Table {
  entries: TableEntry[];
  /** Row of each graph label (label = index); empty without a graph. */
  nodeRows: Uint32Array;
}

/** Marks a graph label whose row is gone (its passages were all removed, then the store compacted). */
export const NO_ROW = 0xffff_ffff;

export function encodeTable(t: Table): Buffer {
  const n = t.entries.length;
  const start = new Uint32Array(n + 1);
  const rows = new Uint32Array(n);
  t.entries.forEach((e, i) => {
    start[i + 1] = start[i]! + e.sentences.length;
    rows[i] = e.row;
  });
  const sentences = new Uint32Array(start[n]!);
  t.entries.forEach((e, i) => sentences.set(e.sentences, start[i]!));
  return encodeSections(MAGIC, VERSION, {
    ids: { strings: t.entries.map((e) => e.id) },
    keys: { strings: t.entries.map((e) => e.key) },
    rows,
    sentenceStart: start,
    sentenceRows: sentences,
    nodeRows: t.nodeRows,
  });
}

/** The table, or one line saying what is wrong with it. `rows` is the store's row count. */
export function decodeTable(buf: Buffer, name: string, rows: number): Table | string {
  const s = Sections.open(buf, MAGIC, VERSION, name);
  if (typeof s === 'string') return s;
  try {
    const ids = s.strings('ids');
    const keys = s.strings('keys');
    const passageRows = s.array('rows', 'Uint32Array');
    const start = s.array('sentenceStart', 'Uint32Array');
    const sentenceRows = s.array('sentenceRows', 'Uint32Array');
    const nodeRows = s.array('nodeRows', 'Uint32Array');
    if (keys.length !== ids.length || passageRows.length !== ids.length || start.length !== ids.length + 1 || start[ids.length] !== sentenceRows.length) {
      return `corrupt: ${name} has columns of different lengths`;
    }
    const beyond = (r: number): boolean => r >= rows;
    if (passageRows.some(beyond) || sentenceRows.some(beyond) || nodeRows.some((r) => r !== NO_ROW && r >= rows)) return `manifest does not match ${name}: it names rows the store does not have`;
    const seen = new Set<string>();
    const entries: TableEntry[] = ids.map((id, i) => {
      if (seen.has(id)) throw new Error(`passage ${id} is listed twice`);
      seen.add(id);
      return { id, key: keys[i]!, row: passageRows[i]!, sentences: sentenceRows.subarray(start[i]!, start[i + 1]!) };
    });
    return { entries, nodeRows: Uint32Array.from(nodeRows) };
  } catch (error) {
    return `corrupt: ${name} (${error instanceof Error ? error.message : String(error)})`;
  }
}
