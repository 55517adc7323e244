import { describe, expect, it } from 'vitest';
import { ingestArticles, parseArticleFile } from '../src/core/text/ingest.js';
import { PASSAGE_SENTENCES, buildPassages } from '../src/core/text/passages.js';
import { SEED, SEEDS_DIR, normalisedSeed } from './helpers/seeds.js';

describe('buildPassages', () => {
  it('gives the same ids when unchanged text is ingested again', async () => {
    const a = buildPassages((await ingestArticles(SEEDS_DIR)).articles);
    const b = buildPassages((await ingestArticles(SEEDS_DIR)).articles);
    expect(a.map((p) => p.id)).toEqual(b.map((p) => p.id));
    expect(new Set(a.map((p) => p.id)).size).toBe(a.length);
  });

  it('changes only the ids of passages whose text changed', () => {
    const text = 'Premier paragraphe, une phrase.\n\nDeuxième paragraphe. Il a une suite.';
    const before = buildPassages(parseArticleFile('x.txt', text));
    const after = buildPassages(parseArticleFile('x.txt', text.replace('une suite', 'une autre suite')));
    expect(after[0]!.id).toBe(before[0]!.id);
    expect(after[1]!.id).not.toBe(before[1]!.id);
    expect(after[1]!.key).toBe(before[1]!.key);
  });

  it('gives repeated text one passage, so every id is unique', () => {
    // The second paragraph repeats the last sentences of the first: its only window has the same text.
    const text =
      'Le ministre a signé l’accord. Les deux pays coopèrent depuis 2020. Le texte entre en vigueur en mai. Il prévoit des patrouilles. La police salue cette avancée.\n\n' +
      'Le texte entre en vigueur en mai. Il prévoit des patrouilles. La police salue cette avancée.\n\nUn dernier paragraphe, différent.';
    const passages = buildPassages(parseArticleFile('x.txt', text));
    expect(new Set(passages.map((p) => p.id)).size).toBe(passages.length);
    expect(new Set(passages.map((p) => p.key)).size).toBe(passages.length);
    expect(passages.map((p) => p.text)).toContain('Un dernier paragraphe, différent.');
    expect(passages.filter((p) => p.text === 'Le texte entre en vigueur en mai. Il prévoit des patrouilles. La police salue cette avancée.')).toHaveLength(1);
  });

  it('keeps passages short, within one paragraph, overlapping by one sentence', () => {
    const sentences = Array.from({ length: 7 }, (_, i) => `Phrase numéro ${i + 1} du texte.`);
    const passages = buildPassages(parseArticleFile('x.txt', sentences.join(' ')));
    expect(passages.map((p) => p.sentences.length)).toEqual([3, 3, 3]);
    expect(passages[1]!.sentences[0]).toBe(passages[0]!.sentences[2]);
    for (const p of passages) expect(p.sentences.length).toBeLessThanOrEqual(PASSAGE_SENTENCES);
  });

  it('dates every passage under the article rules', async () => {
    const passages = buildPassages((await ingestArticles(SEEDS_DIR)).articles);
    for (const p of passages.filter((p) => p.file === SEED.spb2024)) expect(p.date).toBe('2024-04');
    for (const p of passages.filter((p) => p.articleId === SEED.russiaJuly)) expect(p).toMatchObject({ date: null, dateText: '25 juillet' });
    // 004 has no article date: only the passage that states one carries it.
    const convention = passages.filter((p) => p.file === SEED.convention);
    expect(convention[0]).toMatchObject({ date: null, dateText: 'du 25 octobre' });
    expect(convention.filter((p) => p.dateText === null).length).toBeGreaterThan(10);
    // The blurbs never carry the July article's date.
    for (const p of passages.filter((p) => p.articleId.startsWith(`${SEED.russiaJuly}#`))) expect(p.dateText ?? '').not.toContain('juillet');
  });

  it('passage text is a substring of its source', async () => {
    for (const p of buildPassages((await ingestArticles(SEEDS_DIR)).articles)) {
      expect(normalisedSeed(p.file)).toContain(p.text);
    }
  });
});
