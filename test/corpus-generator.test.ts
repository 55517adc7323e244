// The scale benchmark's corpus: deterministic, ingestible, and as untidy as news is.
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../tools/bench/corpus/generate.js';
import { generateQuestions } from '../tools/bench/corpus/questions.js';
import { parseArticleFile } from '../src/core/text/ingest.js';
import { buildPassages } from '../src/core/text/passages.js';
import { generatorInput } from './helpers/generated.js';

describe('corpus generator', () => {
  it('gives the same files for the same seed, and other files for another seed', async () => {
    const { sources, originals } = await generatorInput();
    const a = generateCorpus({ seed: 3, passages: 800, sources, originals });
    const b = generateCorpus({ seed: 3, passages: 800, sources, originals });
    const c = generateCorpus({ seed: 4, passages: 800, sources, originals });
    expect(b.files).toEqual(a.files);
    expect(c.files.map((f) => f.text)).not.toEqual(a.files.map((f) => f.text));
  });

  it('reaches the size asked for, every file ingestible, the seed files included as they are', async () => {
    const { sources, originals } = await generatorInput();
    const g = generateCorpus({ seed: 5, passages: 1500, sources, originals });
    expect(g.passages).toBeGreaterThanOrEqual(1500);
    expect(g.passages).toBeLessThan(1600);
    expect(g.files.slice(0, originals.length)).toEqual(originals);
    let passages = 0;
    for (const f of g.files) passages += buildPassages(parseArticleFile(f.name, f.text)).length;
    expect(passages).toBe(g.passages);
  });

  it('has other people, places and dates than the seeds, repeated paragraphs and near-duplicate articles', async () => {
    const { sources } = await generatorInput();
    const g = generateCorpus({ seed: 6, passages: 3000, sources });
    const texts = g.files.map((f) => f.text);
    const all = texts.join('\n');
    // The seeds' own people are replaced.
    expect(all).not.toMatch(/Nikolai Patrushev|Luong Tam Quang/u);
    expect(new Set(all.match(/\b20\d\d\b/gu)).size).toBeGreaterThan(5);
    expect(texts.some((t) => t.split('\n\n').some((p, i, ps) => p.length > 40 && ps.indexOf(p) !== i))).toBe(true);
    // Near-duplicates: articles sharing most of their paragraphs with an earlier one.
    const paragraphs = texts.map((t) => new Set(t.split('\n\n').filter((p) => p.length > 80)));
    let near = 0;
    paragraphs.forEach((ps, i) => {
      for (let j = Math.max(0, i - 50); j < i; j++) {
        const shared = [...ps].filter((p) => paragraphs[j]!.has(p)).length;
        if (ps.size > 2 && shared >= ps.size * 0.6) {
          near++;
          break;
        }
      }
    });
    expect(near).toBeGreaterThan(10);
    expect(g.files.some((f) => f.text.includes('\nVoir plus\n'))).toBe(true);
    expect(g.files.some((f) => f.text.startsWith('---\n'))).toBe(true);
  });

  it('asks deterministic questions built from the corpus', async () => {
    const { sources } = await generatorInput();
    const g = generateCorpus({ seed: 6, passages: 500, sources });
    const passages = g.files.flatMap((f) => buildPassages(parseArticleFile(f.name, f.text)));
    const q = generateQuestions(passages, 20, 1);
    expect(q).toHaveLength(20);
    expect(generateQuestions(passages, 20, 1)).toEqual(q);
    expect(q.every((x) => x.endsWith('?') && x.split(' ').length >= 3)).toBe(true);
  });
});
