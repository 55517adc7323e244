// The BM25 index must give MiniSearch's results, bit for bit: the answers were tuned on them.
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus, type LoadedCorpus } from '../src/core/text/corpus.js';
import { analyze, buildVocabulary, words } from '../src/core/text/french.js';
import { Analyzer, countWords } from '../src/core/retrieval/lexical/analysis.js';
import { Bm25Index } from '../src/core/retrieval/lexical/bm25.js';
import { buildBm25 } from '../src/core/retrieval/lexical/index.js';
import { Sections, encodeSections } from '../src/lib/sections.js';
import { writeGenerated, testQuestions } from './helpers/generated.js';
import { referenceIndex, referenceSearch } from './helpers/minisearch-reference.js';
import { SEEDS_DIR } from './helpers/seeds.js';

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((d) => rm(d, { recursive: true, force: true })));
});

const questions = testQuestions();

describe.each([
  ['the seeds', async () => loadCorpus(SEEDS_DIR)],
  [
    'a generated corpus of 1,500 passages',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'lex-gen-'));
      roots.push(dir);
      await writeGenerated(dir, 1500);
      return loadCorpus(dir);
    },
  ],
])('BM25 index over %s', (_, load) => {
  let corpus: LoadedCorpus;
  beforeAll(async () => {
    corpus = await load();
  });

  it('returns what MiniSearch returns: same passages, same scores, same order (ties included)', () => {
    const ours = buildBm25(corpus.passages);
    const theirs = referenceIndex(corpus.passages);
    for (const q of questions) expect(ours.search(q, 20), q).toEqual(referenceSearch(theirs, q, 20));
  });

  it('counts document frequencies as the old index did (title and text together)', () => {
    const ours = buildBm25(corpus.passages);
    const vocabulary = buildVocabulary(corpus.passages.flatMap((p) => [p.text, p.title]));
    const df = new Map<string, number>();
    for (const p of corpus.passages) for (const t of new Set(analyze(`${p.title} ${p.text}`, vocabulary))) df.set(t, (df.get(t) ?? 0) + 1);
    for (const [term, n] of df) expect(ours.documentFrequency(term), term).toBe(n);
    expect(ours.documentFrequency('pasunmotducorpus')).toBe(0);
  });

  it('after removals and additions, still returns what MiniSearch returns after the same ones', () => {
    const passages = corpus.passages;
    const half = Math.floor(passages.length / 2);
    const ours = new Bm25Index(new Analyzer(countWords(passages.flatMap((p) => [p.text, p.title]))));
    const theirs = referenceIndex(passages.slice(0, half), passages);
    passages.slice(0, half).forEach((p) => ours.add(p));
    for (const p of passages.slice(0, 10)) {
      ours.remove(p.id);
      theirs.remove({ id: p.id, text: p.text, title: p.title });
    }
    for (const p of passages.slice(half)) {
      ours.add(p);
      theirs.add({ id: p.id, text: p.text, title: p.title });
    }
    // The reference analysed with the whole corpus's vocabulary too; only the sequence differs.
    for (const q of questions) expect(ours.search(q, 20), q).toEqual(referenceSearch(theirs, q, 20));
  });

  it('reads back from its sections with the same results', () => {
    const ours = buildBm25(corpus.passages);
    const buf = encodeSections('TESTBM25', 1, ours.toSections());
    const s = Sections.open(buf, 'TESTBM25', 1, 'test');
    if (typeof s === 'string') throw new Error(s);
    const back = Bm25Index.fromSections(s, ours.analyzer);
    for (const q of questions) expect(back.search(q, 20), q).toEqual(ours.search(q, 20));
  });
});

describe('words()', () => {
  // The definition words() must keep: the regular expression it replaced.
  const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
  const ELISION = /^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]/u;
  const LETTER_DIGIT = /(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u;
  const reference = (text: string): string[] => {
    const out: string[] = [];
    for (const [raw] of text.matchAll(WORD)) {
      const lower = raw.toLowerCase().replace(ELISION, '');
      for (const part of lower.split(/['’]/u)) for (const w of part.split(LETTER_DIGIT)) if (w) out.push(w.normalize('NFD').replace(/\p{M}/gu, ''));
    }
    return out;
  };

  it('finds the same words as the regular expression, on random strings of awkward characters', () => {
    const alphabet = ['a', 'B', 'é', 'É', 'ç', '1', '9', "'", '’', ' ', '-', '.', '😀', '\u0301', '\ud800', '\udc00', 'ả', 'Ω', '٣', 'ß', 'İ', '\n', 'l', 'qu', '𝐀'];
    let seed = 1;
    const next = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 20_000; i++) {
      let s = '';
      for (let j = Math.floor(next() * 12); j > 0; j--) s += alphabet[Math.floor(next() * alphabet.length)];
      expect(words(s), JSON.stringify(s)).toEqual(reference(s));
    }
  });
});

describe('analysis cache', () => {
  it('gives termsOf() for every word, and says which cached words a recount changed', () => {
    const texts = ['la coopération dans la sécurité', 'le partenariat et la sécurité'];
    const analyzer = new Analyzer(countWords(texts));
    expect(analyzer.analyze('dansla sécurité dupartenariat')).toEqual(analyze('dansla sécurité dupartenariat', buildVocabulary(texts)));
    // "partenariat" only appears glued until a text uses it on its own… then "dupartenariat" splits.
    const glued = new Analyzer(countWords(['dupartenariat dupartenariat partenariat']));
    const before = glued.termsOfWord('dupartenariat');
    const changed = glued.recount(['partenariat partenariat'], []);
    expect(changed.get('dupartenariat')).toEqual(before);
    expect(glued.termsOfWord('dupartenariat')).toEqual(analyze('dupartenariat', buildVocabulary(['dupartenariat dupartenariat partenariat partenariat partenariat'])));
    expect(glued.termsOfWord('dupartenariat')).not.toEqual(before);
  });
});
