/** The vector store as one list of rows across its segments (see segments.ts). */
import { findInSegment, hashAt, readRow, type Segment } from './segments.js';

export class VectorStore {
  readonly rows: number;

  constructor(
    readonly dim: number,
    readonly segments: readonly Segment[],
  ) {
    this.rows = segments.reduce((n, s) => n + s.ref.count, 0);
  }

  /** Row of a text hash (hex), or -1. Newest segment first: a text is stored once, but look where it most likely is. */
  find(hash: string): number {
    const raw = Buffer.from(hash, 'hex');
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const row = findInSegment(this.segments[i]!, raw);
      if (row >= 0) return row;
    }
    return -1;
  }

  private segmentOf(row: number): Segment {
    for (const s of this.segments) if (row >= s.firstRow && row < s.firstRow + s.ref.count) return s;
    throw new Error(`vector index: row ${row} is beyond the store's ${this.rows}`);
  }

  /** The vector of `row`, or null when its bytes are damaged. */
  read(row: number): Float32Array | null {
    return readRow(this.segmentOf(row), row, this.dim);
  }

  hashOf(row: number): string {
    return hashAt(this.segmentOf(row), row);
  }
}
