// What both corpus stores share for an update: the passage diff and the checks of an embedder's vectors.
import { describe, expect, it } from 'vitest';
import { diffPassages, type DiffablePassage } from '../src/core/store/shared/passage-diff.js';
import { checkedUnitVectors } from '../src/core/store/shared/vector-checks.js';

const p = (id: string, key: string): DiffablePassage => ({ id, key });
const counts = (d: ReturnType<typeof diffPassages>) => ({ added: d.added, changed: d.changed, removed: d.removed, unchanged: d.unchanged });

describe('diffPassages', () => {
  const previous = [p('a', 'f:0'), p('b', 'f:1'), p('c', 'f:2')];

  it('nothing changed: every passage kept at its own index, none fresh', () => {
    const d = diffPassages(previous, previous);
    expect(counts(d)).toEqual({ added: 0, changed: 0, removed: 0, unchanged: 3 });
    expect([...d.kept]).toEqual([0, 1, 2]);
    expect(d.fresh).toEqual([]);
  });

  it('a new id at a stored key is changed, one at a new key added, a stored passage not matched removed', () => {
    const d = diffPassages([p('a', 'f:0'), p('b2', 'f:1'), p('d', 'g:0')], previous);
    expect(counts(d)).toEqual({ added: 1, changed: 1, removed: 1, unchanged: 1 });
    expect([...d.kept]).toEqual([0, -1, -1]);
    expect(d.fresh).toEqual([1, 2]);
  });

  it('finds stored ids out of order (past the first difference) and keeps their indices', () => {
    const d = diffPassages([p('x', 'g:0'), p('c', 'f:2'), p('a', 'f:0')], previous);
    expect([...d.kept]).toEqual([-1, 2, 0]);
    expect(counts(d)).toEqual({ added: 1, changed: 0, removed: 1, unchanged: 2 });
  });

  it('a passage that moved (same id, new key) is unchanged, and its old key is not claimed as changed', () => {
    const d = diffPassages([p('b', 'f:0'), p('x', 'f:1')], previous);
    expect(counts(d)).toEqual({ added: 1, changed: 0, removed: 2, unchanged: 1 });
  });

  it('a stored passage is matched once: a second passage with its id or key is fresh', () => {
    const d = diffPassages([p('x', 'g:0'), p('a', 'f:0'), p('a', 'f:0'), p('y', 'f:1'), p('z', 'f:1')], previous);
    expect([...d.kept]).toEqual([-1, 0, -1, -1, -1]);
    expect(counts(d)).toEqual({ added: 3, changed: 1, removed: 1, unchanged: 1 });
  });

  it('first build and full removal', () => {
    expect(counts(diffPassages(previous, []))).toEqual({ added: 3, changed: 0, removed: 0, unchanged: 0 });
    const gone = diffPassages([], previous);
    expect(counts(gone)).toEqual({ added: 0, changed: 0, removed: 3, unchanged: 0 });
    expect(gone.kept.length).toBe(0);
  });
});

describe('checkedUnitVectors', () => {
  const embedder = { modelId: 'm', dimension: 3 };

  it('scales each vector to unit length, in order; an all-zero vector stays zero', () => {
    const out = checkedUnitVectors(embedder, [[3, 0, 4], [0, 0, 0], [0, -2, 0]], 3, { sayExpected: true });
    expect(out.map((v) => [...v])).toEqual([[0.6, 0, 0.8].map(Math.fround), [0, 0, 0], [0, -1, 0]]);
    expect(out[0]).toBeInstanceOf(Float32Array);
  });

  it('refuses another count of vectors than of texts', () => {
    expect(() => checkedUnitVectors(embedder, [[1, 0, 0]], 2, { sayExpected: true })).toThrow('embedder m returned 1 vectors for 2 texts');
    expect(() => checkedUnitVectors(embedder, [[1, 0, 0]], 0, { sayExpected: false })).toThrow('embedder m returned 1 vectors for 0 texts');
  });

  it('refuses a vector of another dimension or with a number that is not finite, in either message form', () => {
    expect(() => checkedUnitVectors(embedder, [[1, 0, 0], [1, 0]], 2, { sayExpected: true })).toThrow('embedder m returned a bad vector (length 2, expected 3)');
    expect(() => checkedUnitVectors(embedder, [[1, 0]], 1, { sayExpected: false })).toThrow(/^embedder m returned a bad vector \(length 2\)$/u);
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(() => checkedUnitVectors(embedder, [[1, bad, 0]], 1, { sayExpected: false })).toThrow('embedder m returned a bad vector (length 3)');
    }
  });
});
