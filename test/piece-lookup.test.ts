import { describe, expect, it } from 'vitest';
import { installPieceLookup, PieceLookup } from '../src/core/model/transformers/piece-lookup.js';
import { mulberry32 } from '../src/lib/mulberry32.js';

// The library's own trie, as its Unigram tokenizer builds it. This file never installs anything
// on it: the install test works on a class of its own.
type Trie = { extend(texts: string[]): void; commonPrefixSearch(text: string): Iterable<string> };
const { CharTrie } = (await import('@xenova/transformers/src/utils/data-structures.js' as string)) as { CharTrie: new () => Trie };

// Letters, a combining accent, a ligature, and characters outside the BMP (two UTF-16 units).
const ALPHABET = ['a', 'b', 'e', 'é', '▁', ' ', 'ß', '中', 'ﬁ', '\u0301', '😀', '𝒳'];

function randomText(next: () => number, maxLength: number): string {
  let s = '';
  const n = 1 + Math.floor(next() * maxLength);
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return s;
}

describe('PieceLookup', () => {
  it("finds exactly the library trie's pieces, in its order, on random vocabularies and texts", () => {
    const next = mulberry32(20261124);
    let found = 0;
    for (let round = 0; round < 20; round++) {
      const pieces = Array.from({ length: 300 }, () => randomText(next, 5));
      const trie = new CharTrie();
      trie.extend(pieces);
      // Before its prefix map is built (a search tries every length) and after.
      const lookup = new PieceLookup();
      lookup.extend(pieces);
      const built = new PieceLookup();
      built.extend(pieces);
      built.buildPrefixes();
      expect([lookup.prefixesBuilt, built.prefixesBuilt]).toEqual([false, true]);
      for (let t = 0; t < 300; t++) {
        const text = randomText(next, 12);
        const expected = [...trie.commonPrefixSearch(text)];
        expect([...lookup.commonPrefixSearch(text)], text).toEqual(expected);
        expect([...built.commonPrefixSearch(text)], text).toEqual(expected);
        found += expected.length;
      }
    }
    // Not a comparison of two empty lists.
    expect(found).toBeGreaterThan(1000);
  });

  it('finds nothing at or past a character outside the BMP, as the trie', () => {
    const trie = new CharTrie();
    trie.extend(['a', 'a😀', 'a😀b', '😀']);
    for (const build of [false, true]) {
      const lookup = new PieceLookup();
      lookup.extend(['a', 'a😀', 'a😀b', '😀']);
      if (build) lookup.buildPrefixes();
      for (const text of ['a😀b', '😀', 'ab']) expect([...lookup.commonPrefixSearch(text)]).toEqual([...trie.commonPrefixSearch(text)]);
      expect([...lookup.commonPrefixSearch('a😀b')]).toEqual(['a']);
    }
  });

  it('builds its prefix map in the background, pieces pushed meanwhile included', async () => {
    const next = mulberry32(7);
    const pieces = Array.from({ length: 12_000 }, () => randomText(next, 6));
    const lookup = new PieceLookup({ slice: 500, delayMs: 0 });
    lookup.extend(pieces.slice(0, 11_000));
    expect(lookup.prefixesBuilt).toBe(false);
    // A few slices in: the build is under way when the last pieces arrive.
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(lookup.prefixesBuilt).toBe(false);
    lookup.extend(pieces.slice(11_000));
    const deadline = Date.now() + 5_000;
    while (!lookup.prefixesBuilt && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    expect(lookup.prefixesBuilt).toBe(true);
    const trie = new CharTrie();
    trie.extend(pieces);
    for (let t = 0; t < 500; t++) {
      const text = randomText(next, 12);
      expect([...lookup.commonPrefixSearch(text)], text).toEqual([...trie.commonPrefixSearch(text)]);
    }
  });
});

describe('installPieceLookup', () => {
  class FakeTrie {
    pushed: string[] = [];
    extend(texts: string[]) {
      for (const t of texts) this.push(t);
    }
    push(text: string) {
      this.pushed.push(text);
    }
    *commonPrefixSearch(_text: string): Generator<string> {
      yield 'fake';
    }
  }

  it('makes every trie built afterwards a PieceLookup, once however often it is called', () => {
    const module = { CharTrie: FakeTrie };
    expect(installPieceLookup(module)).toBe(true);
    expect(installPieceLookup(module)).toBe(true);
    const a = new FakeTrie();
    const b = new FakeTrie();
    a.extend(['le', 'les', 'lesquels']);
    b.extend(['x']);
    expect([...a.commonPrefixSearch('lesquelles')]).toEqual(['le', 'les']);
    expect([...b.commonPrefixSearch('lesquelles')]).toEqual([]);
    expect(a.pushed).toEqual([]);
  });

  it('leaves a trie filled before the install answering from what it holds', () => {
    class RootedTrie {
      root = { children: new Map<string, unknown>() };
      extend(texts: string[]) {
        for (const t of texts) this.push(t);
      }
      push(text: string) {
        this.root.children.set(text, {});
      }
      *commonPrefixSearch(text: string): Generator<string> {
        for (const key of this.root.children.keys()) if (text.startsWith(key)) yield key;
      }
    }
    const before = new RootedTrie();
    before.extend(['la', 'lac']);
    expect(installPieceLookup({ CharTrie: RootedTrie })).toBe(true);
    before.push('lacs');
    expect([...before.commonPrefixSearch('lacs')]).toEqual(['la', 'lac', 'lacs']);
    const after = new RootedTrie();
    after.extend(['la']);
    expect(after.root.children.size).toBe(0);
    expect([...after.commonPrefixSearch('lacs')]).toEqual(['la']);
  });

  it('changes nothing when the library is not shaped as expected', () => {
    expect(installPieceLookup({})).toBe(false);
    class Other {
      extend() {}
    }
    expect(installPieceLookup({ CharTrie: Other as never })).toBe(false);
    expect(Object.getOwnPropertyNames(Other.prototype)).toEqual(['constructor', 'extend']);
  });
});
