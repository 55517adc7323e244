// The vector index's update plan: pure decisions, checked without disk or model.
import { describe, expect, it } from 'vitest';
import { passageRows, planGraph, planUpdate, referencedRows, resolveEntries, storeNeedsCompaction, type IndexablePassage } from '../src/core/store/files/vector-index/plan.js';
import { NO_ROW, type TableEntry } from '../src/core/store/files/vector-index/table.js';

const hash = (t: string): string => `h:${t}`;
const p = (id: string, key: string, text: string, sentences = [text]): IndexablePassage => ({ id, key, text, sentences });

describe('planUpdate', () => {
  const previous: TableEntry[] = [
    { id: 'a', key: 'f:0', row: 0, sentences: [0] },
    { id: 'b', key: 'f:1', row: 1, sentences: [2, 3] },
    { id: 'c', key: 'f:2', row: 4, sentences: [4] },
  ];
  const stored = new Map([
    ['h:A', 0],
    ['h:B', 1],
    ['h:B1', 2],
    ['h:B2', 3],
    ['h:C', 4],
    ['h:shared', 5],
  ]);
  const find = (h: string): number => stored.get(h) ?? -1;

  it('keeps stored passages by id without hashing them, and hashes only the others', () => {
    const hashed: string[] = [];
    const plan = planUpdate({
      passages: [p('a', 'f:0', 'A'), p('b2', 'f:1', 'B new', ['B1', 'B new']), p('d', 'g:0', 'D', ['D', 'shared'])],
      previous,
      find,
      hash: (t) => (hashed.push(t), hash(t)),
    });
    expect(plan).toMatchObject({ added: 1, changed: 1, removed: 1, unchanged: 1 });
    expect(hashed.sort()).toEqual(['B new', 'B new', 'B1', 'D', 'D', 'shared'].sort());
    expect(plan.entries[0]).toEqual({ id: 'a', key: 'f:0', text: 0, sentences: [0] });
    // A changed passage reuses the stored vector of its unchanged sentence.
    expect(plan.entries[1]).toEqual({ id: 'b2', key: 'f:1', text: 'h:B new', sentences: [2, 'h:B new'] });
    expect(plan.entries[2]).toEqual({ id: 'd', key: 'g:0', text: 'h:D', sentences: ['h:D', 5] });
    // Each missing text once.
    expect([...plan.pending]).toEqual([
      ['h:B new', 'B new'],
      ['h:D', 'D'],
    ]);
    const rows = new Map([
      ['h:B new', 6],
      ['h:D', 7],
    ]);
    const entries = resolveEntries(plan.entries, rows);
    expect(entries[1]).toEqual({ id: 'b2', key: 'f:1', row: 6, sentences: [2, 6] });
    expect([...referencedRows(entries, 8)]).toEqual([0, 2, 5, 6, 7]);
  });

  it("lists the passages' own rows in the table's order, each once, for the graph to insert them in that order", () => {
    const entry = (row: number) => ({ id: `p${row}`, key: 'f', row, sentences: Uint32Array.from([0]) });
    const rows = passageRows([entry(7), entry(2), entry(7), entry(5)], 8);
    expect([...rows]).toEqual([7, 2, 5]);
    expect(rows.size).toBe(3);
    expect(rows.has(2) && !rows.has(0)).toBe(true);
  });

  it('counts a passage that moved (same id, new key) as unchanged, not its old key as changed', () => {
    const plan = planUpdate({ passages: [p('b', 'f:0', 'B'), p('x', 'f:1', 'X')], previous, find, hash });
    expect(plan).toMatchObject({ unchanged: 1, changed: 0, added: 1, removed: 2 });
  });
});

describe('planGraph', () => {
  const policy = { exactMax: 4, freshMax: 2, deadShare: 0.2 };
  const rows = (...xs: number[]): Set<number> => new Set(xs);

  it('searches exactly at or below the exact-search size, with no graph', () => {
    expect(planGraph(rows(1, 2, 3, 4), null, policy)).toEqual({ kind: 'none' });
    expect(planGraph(rows(1, 2, 3, 4), Uint32Array.from([1, 2, 3, 4, 5]), policy)).toEqual({ kind: 'none' });
  });

  it('builds a graph past it, keeps it for a few new passages, extends it with more, in the order given', () => {
    expect(planGraph(rows(5, 1, 2, 3, 4), null, policy)).toEqual({ kind: 'build', rows: [5, 1, 2, 3, 4] });
    const graph = Uint32Array.from([1, 2, 3, 4, 5]);
    expect(planGraph(rows(1, 2, 3, 4, 5, 6, 7), graph, policy)).toEqual({ kind: 'keep' });
    expect(planGraph(rows(1, 2, 3, 4, 5, 8, 6, 7), graph, policy)).toEqual({ kind: 'extend', rows: [8, 6, 7] });
  });

  it('rebuilds a graph built with other construction parameters, whatever its size', () => {
    const graph = Uint32Array.from([1, 2, 3, 4, 5]);
    expect(planGraph(rows(1, 2, 3, 4, 5), graph, policy, false)).toEqual({ kind: 'build', rows: [1, 2, 3, 4, 5] });
    expect(planGraph(rows(1, 2, 3, 4, 5), graph, policy, true)).toEqual({ kind: 'keep' });
  });

  it('rebuilds once too many graph nodes belong to no passage', () => {
    const graph = Uint32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(planGraph(rows(1, 2, 3, 4, 5, 6, 7, 8, 9), graph, policy)).toEqual({ kind: 'keep' });
    expect(planGraph(rows(1, 2, 3, 4, 5, 6, 7), graph, policy)).toEqual({ kind: 'build', rows: [1, 2, 3, 4, 5, 6, 7] });
    expect(planGraph(rows(1, 2, 3, 4, 5, 6, 7, 8, 9), Uint32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, NO_ROW, NO_ROW, NO_ROW]), policy)).toEqual({ kind: 'build', rows: [1, 2, 3, 4, 5, 6, 7, 8, 9] });
  });
});

describe('storeNeedsCompaction', () => {
  it('merges the vector files once a quarter of the rows are unused, or there are many files', () => {
    expect(storeNeedsCompaction(100, 80, 3)).toBe(false);
    expect(storeNeedsCompaction(100, 74, 3)).toBe(true);
    expect(storeNeedsCompaction(100, 100, 17)).toBe(true);
    expect(storeNeedsCompaction(0, 0, 0)).toBe(false);
  });
});
