import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestArticles, parseArticleFile } from '../src/core/text/ingest.js';
import type { Article } from '../src/core/types.js';
import { ROOT, SEED, SEEDS_DIR, normalisedSeed } from './helpers/seeds.js';

let articles: Article[];
const main = (file: string): Article => articles.find((a) => a.id === file)!;

beforeAll(async () => {
  const result = await ingestArticles(SEEDS_DIR);
  expect(result.skipped).toEqual([]);
  articles = result.articles;
});

describe('article dates', () => {
  it('reads the date line of 000, 001 and 003', () => {
    expect(main(SEED.spb2024)).toMatchObject({ date: '2024-04', dateText: null });
    expect(main(SEED.police2024)).toMatchObject({ date: '2024-09', dateText: null });
    expect(main(SEED.singapore)).toMatchObject({ date: '2023-11', dateText: null });
  });

  it('strips the date line but keeps the rest of that line as text', () => {
    const first = main(SEED.spb2024).paragraphs[0]![0]!;
    expect(first.startsWith('Le ministre de la Sécurité publique, To Lam')).toBe(true);
    expect(main(SEED.spb2024).paragraphs.flat().join(' ')).not.toMatch(/date 2024/u);
  });

  it('keeps a dateline without a year as text and never guesses the year (002)', () => {
    expect(main(SEED.russiaJuly)).toMatchObject({ date: null, dateText: '25 juillet' });
  });

  it('gives 004 no article date', () => {
    expect(main(SEED.convention)).toMatchObject({ date: null, dateText: null });
  });
});

describe('related-article blurbs in 002', () => {
  it('are separate items with their own titles, after the July article', () => {
    const related = articles.filter((a) => a.file === SEED.russiaJuly && a.kind === 'related');
    expect(related.length).toBe(7);
    expect(related.map((r) => r.title)).toContain('Cérémonie d’accueil officielle du président sud-africain');
    const july = main(SEED.russiaJuly).paragraphs.flat().join(' ');
    expect(july).not.toContain('Ramaphosa');
    expect(july).not.toContain('Finlande');
  });

  it('carry October dates of their own, never July', () => {
    const related = articles.filter((a) => a.kind === 'related');
    for (const r of related) {
      expect(r.dateText ?? '').not.toMatch(/juillet/u);
      expect(r.date ?? '').not.toMatch(/-07/u);
    }
    const byTitle = (t: string): Article => related.find((r) => r.title.includes(t))!;
    expect(byTitle('sud-africain')).toMatchObject({ date: '2025-10-23', dateText: 'les 23 et 24 octobre 2025' });
    expect(byTitle('Finlande')).toMatchObject({ date: null, dateText: 'du 20 au 22 octobre' });
    expect(byTitle('président bulgare')).toMatchObject({ date: null, dateText: 'le 23 octobre' });
    expect(byTitle('entame sa visite officielle en Bulgarie')).toMatchObject({ date: null, dateText: 'le 22 octobre' });
  });
});

describe('noise', () => {
  const allText = (): string => articles.flatMap((a) => a.paragraphs.flat()).join('\n');

  it('drops captions, credits, comment counters, sign-offs and bracketed links', () => {
    const text = allText();
    expect(text).not.toMatch(/Photos? ?[:.] ?(VNA|Lam Khanh)/u);
    expect(text).not.toContain('Comment (0)');
    expect(text).not.toMatch(/VNA\/CVN|VNA\/VI|–VNA|– VNA/u);
    expect(text).not.toContain('ảnh 1');
    expect(text).not.toContain('[Le Vietnam et la Russie');
  });

  it('keeps one copy of a repeated title and of repeated captions', () => {
    const sentences = articles.flatMap((a) => a.paragraphs.flat());
    expect(new Set(sentences).size).toBe(sentences.length);
    expect(main(SEED.russiaJuly).title).toBe('Vietnam-Russie : renforcement des relations de coopération dans la sécurité');
  });

  it('turns "Source : https://…" into the link', () => {
    expect(main(SEED.convention).link).toBe(
      'https://www.vietnamplus.vn/tong-bi-thu-to-lam-dua-khong-gian-mang-tro-thanh-khong-gian-cua-luat-phap-post1072702.vnp',
    );
    expect(allText()).not.toContain('vietnamplus');
  });

  it('never edits quoted text: every sentence is in its source file', () => {
    for (const a of articles) {
      const source = normalisedSeed(a.file);
      for (const s of a.paragraphs.flat()) expect(source).toContain(s);
    }
  });
});

describe('titles', () => {
  it('takes a headline line as title, or the first sentence cut at a word', () => {
    expect(main(SEED.police2024).title).toBe('Le ministre de la Police en visite de travail en Russie');
    expect(main(SEED.singapore).title.startsWith('Le membre du Poliburo')).toBe(true);
    expect(main(SEED.spb2024).title.length).toBeLessThanOrEqual(112);
  });
});

describe('front matter', () => {
  it('overrides what is inferred', () => {
    const text = readFileSync(path.join(ROOT, 'test/fixtures/front-matter.md'), 'utf8');
    const [a] = parseArticleFile('front-matter.md', text);
    // The file also has a date line and a dateline: front matter wins over both.
    expect(a).toMatchObject({ title: "Un titre donné par l'auteur", date: '2025-10-25', dateText: null, link: 'https://example.org/article-42' });
  });

  it('is read from a real file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fm-'));
    await writeFile(path.join(dir, 'a.md'), readFileSync(path.join(ROOT, 'test/fixtures/front-matter.md')));
    const { articles: list, skipped } = await ingestArticles(dir);
    expect(skipped).toEqual([]);
    expect(list[0]).toMatchObject({ title: "Un titre donné par l'auteur", date: '2025-10-25', link: 'https://example.org/article-42' });
    expect(list[0]!.paragraphs[0]![0]).toMatch(/^Hanoi, 3 mars\(VNA\) – Le texte/u);
  });
});

describe('bad files', () => {
  it('are skipped with one clear reason each, and the rest is still ingested', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bad-'));
    await writeFile(path.join(dir, 'good.txt'), 'Le ministre a signé la convention le 25 octobre 2025. Il était content.');
    await writeFile(path.join(dir, 'empty.txt'), '  \n\n ');
    await writeFile(path.join(dir, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]));
    await writeFile(path.join(dir, 'latin1.txt'), Buffer.from('Le minist\xe8re de la S\xe9curit\xe9.', 'latin1'));
    await writeFile(path.join(dir, 'huge.txt'), 'a'.repeat(3 * 1024 * 1024));
    await writeFile(path.join(dir, 'broken.md'), '---\ntitle: [unclosed\n---\nTexte.');
    await writeFile(path.join(dir, 'unclosed.md'), '---\ntitle: x\nTexte sans fin de bloc.');
    await writeFile(path.join(dir, 'baddate.md'), '---\ndate: octobre\n---\nTexte.');
    await writeFile(path.join(dir, 'image.png'), 'not an article');
    const { articles: list, skipped } = await ingestArticles(dir);
    expect(list.map((a) => a.id)).toEqual(['good.txt']);
    const reasons = Object.fromEntries(skipped.map((s) => [s.file, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['baddate.md', 'binary.txt', 'broken.md', 'empty.txt', 'huge.txt', 'latin1.txt', 'unclosed.md']);
    expect(reasons['empty.txt']).toMatch(/empty/u);
    expect(reasons['binary.txt']).toMatch(/binary/u);
    expect(reasons['latin1.txt']).toMatch(/UTF-8/u);
    expect(reasons['huge.txt']).toMatch(/too large/u);
    expect(reasons['broken.md']).toMatch(/front matter/u);
    expect(reasons['unclosed.md']).toMatch(/never closed/u);
    expect(reasons['baddate.md']).toMatch(/YYYY-MM/u);
    for (const r of Object.values(reasons)) expect(r).not.toContain('\n');
  });
});
