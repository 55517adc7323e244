import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { parseArticleFile } from '../../src/core/text/ingest.js';
import { createEngine, type Engine } from '../../src/engine/index.js';
import { extractArticle } from '../../src/web/extract.js';
import { makeTempDir } from '../helpers/static-model.js';
import {
  DATELINE_PARAGRAPHS,
  EN_PARAGRAPHS,
  FR_CAPTION,
  FR_PARAGRAPHS,
  FR_RELATED,
  LATIN1_EXPECTED,
  NO_DATE_PARAGRAPHS,
  datelineArticle,
  englishArticle,
  frenchArticle,
  latin1Article,
  noDateArticle,
} from './pages.js';
import { startNewsServer, type NewsServer } from './server.js';

let site: NewsServer;
beforeAll(async () => {
  site = await startNewsServer();
  site.page('/fr', frenchArticle(site.origin));
  site.page('/en', englishArticle(site.origin));
  site.page('/no-date', noDateArticle());
  site.page('/dateline', datelineArticle());
  site.page('/latin1', latin1Article(), 'text/html');
  site.page('/doc.pdf', Buffer.from('%PDF-1.7\n'), 'application/pdf');
  site.page('/empty', '<html><body><nav><a href="/">Accueil</a></nav><p>Bientôt.</p></body></html>');
});
afterAll(() => site.close());

describe('extracting the article from a news page', () => {
  it('keeps the French article paragraphs, not the navigation, cookie banner, ads, caption, credit or related list', () => {
    const a = extractArticle(frenchArticle(site.origin), `${site.origin}/fr?utm_source=x`);
    expect(a.paragraphs).toEqual(FR_PARAGRAPHS);
    const all = a.paragraphs.join('\n');
    for (const noise of ['cookies', 'Politique', 'Publicité', 'Voyagez au Vietnam', FR_CAPTION, 'Photo : Tran Minh', ...FR_RELATED, 'Les plus lus', 'lettre d’information', 'Tous droits réservés', 'Partager']) {
      expect(all).not.toContain(noise);
    }
    expect(a.title).toBe('Haiphong inaugure un terminal à conteneurs géant');
    // JSON-LD datePublished, in the publisher's own time zone; not the "updated" <time>.
    expect(a.date).toBe('2025-10-14');
    expect(a.dateSource).toBe('json-ld');
    expect(a.canonical).toBe(`${site.origin}/economie/haiphong-terminal`);
    expect(a.language).toBe('fr');
  });

  it('reads an English page: article:published_time, og:url, no related stories', () => {
    const a = extractArticle(englishArticle(site.origin), `${site.origin}/en`);
    expect(a.paragraphs).toEqual(EN_PARAGRAPHS);
    expect(a.date).toBe('2025-10-09');
    expect(a.dateSource).toBe('meta');
    expect(a.canonical).toBe(`${site.origin}/news/da-nang-light-rail`);
    expect(a.language).toBe('en');
  });

  it('gives no date to a page that states none, and a dateline date when only the dateline has it', () => {
    const none = extractArticle(noDateArticle(), `${site.origin}/no-date`);
    expect(none.paragraphs).toEqual(NO_DATE_PARAGRAPHS);
    expect(none.date).toBeNull();
    const dl = extractArticle(datelineArticle(), `${site.origin}/dateline`);
    expect(dl.date).toBe('2024-09-03');
    expect(dl.dateSource).toBe('dateline');
    expect(dl.paragraphs).toEqual(DATELINE_PARAGRAPHS);
  });
});

describe('adding articles (engine.add)', () => {
  let seeds: string;
  let engine: Engine;
  beforeAll(async () => {
    const dir = await makeTempDir('add-');
    seeds = path.join(dir, 'seeds');
    await mkdir(seeds);
    await writeFile(path.join(seeds, 'old.txt'), 'date 2025-01 Le ministre a inauguré un observatoire des volcans islandais à Reykjavik.');
    const config = loadConfig({ SEEDS_DIR: seeds, EMBEDDINGS_DIR: path.join(dir, 'embeddings'), EMBEDDING_MODEL: path.join(dir, 'no-model'), OFFLINE: '1', ALLOW_PRIVATE_URLS: '1' });
    engine = await createEngine(config, { log: { info: () => {}, warn: () => {} }, fetch: { timeoutMs: 2_000 } });
  });

  it('saves seeds/<slug>.md with front matter and the paragraphs verbatim, and the index answers from it', async () => {
    expect((await engine.ask('terminal à conteneurs de Haiphong')).answered).toBe(false);
    const { results, reindex } = await engine.add([`${site.origin}/fr?utm_source=newsletter`]);
    const r = results[0]!;
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.status).toBe('added');
    expect(r.file).toBe('haiphong-inaugure-un-terminal-a-conteneurs-geant.md');
    expect(r.title).toBe('Haiphong inaugure un terminal à conteneurs géant');
    expect(r.date).toBe('2025-10-14');
    expect(r.passages).toBeGreaterThanOrEqual(3);
    expect(reindex?.articles).toBe(2);
    const text = await readFile(path.join(seeds, r.file), 'utf8');
    expect(text).toMatch(/^---\ntitle: Haiphong inaugure un terminal à conteneurs géant\ndate: 2025-10-14\nsource: http:\/\/127\.0\.0\.1:\d+\/economie\/haiphong-terminal\nfetched: \d{4}-\d\d-\d\dT[\d:.]+Z\nlanguage: fr\n---\n\n/u);
    expect(text.split('---\n\n')[1]).toBe(`${FR_PARAGRAPHS.join('\n\n')}\n`);
    // The ingestion rules hold for the saved file: front matter date, every paragraph is text.
    const [article] = parseArticleFile(r.file, text);
    expect(article!.date).toBe('2025-10-14');
    expect(article!.paragraphs.flat().join(' ')).toBe(FR_PARAGRAPHS.join(' '));
    const answer = await engine.ask('Quelle capacité pour le nouveau terminal à conteneurs de Haiphong ?');
    expect(answer.answered).toBe(true);
    expect(answer.results[0]!.source).toBe(r.file);
    expect(text.replace(/\s+/gu, ' ')).toContain(answer.results[0]!.quote);
  });

  it('updates the same file for the same canonical URL, and changes nothing for an unchanged page', async () => {
    const file = path.join(seeds, 'haiphong-inaugure-un-terminal-a-conteneurs-geant.md');
    const before = await stat(file);
    const again = await engine.add([`${site.origin}/fr`]);
    expect(again.results[0]).toMatchObject({ ok: true, status: 'unchanged', file: path.basename(file) });
    expect(again.reindex).toBeNull();
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
    // The page changes: the same file is rewritten, no second file appears.
    site.page('/fr', frenchArticle(site.origin).replace('dès la semaine prochaine', 'dès le mois prochain'));
    const changed = await engine.add([`${site.origin}/fr`]);
    expect(changed.results[0]).toMatchObject({ ok: true, status: 'updated', file: path.basename(file) });
    expect((await readdir(seeds)).filter((f) => f.startsWith('haiphong'))).toHaveLength(1);
    expect(await readFile(file, 'utf8')).toContain('dès le mois prochain');
    expect((await engine.ask('Quand les premiers navires sont-ils attendus à Haiphong ?')).results[0]!.quote).toContain('dès le mois prochain');
    site.page('/fr', frenchArticle(site.origin));
  });

  it('saves an undated page with no date at all, a dateline date, and an ISO-8859-1 page correctly decoded', async () => {
    const { results } = await engine.add([`${site.origin}/no-date`, `${site.origin}/dateline`, `${site.origin}/latin1`]);
    expect(results.map((r) => r.ok && r.date)).toEqual([null, '2024-09-03', '2025-03-21']);
    const noDate = await readFile(path.join(seeds, (results[0] as { file: string }).file), 'utf8');
    expect(noDate).not.toMatch(/^date:/mu);
    const latin1 = await readFile(path.join(seeds, (results[2] as { file: string }).file), 'utf8');
    for (const p of LATIN1_EXPECTED) expect(latin1).toContain(p);
    const a = await engine.ask('Où la pièce sera-t-elle jouée au printemps ?');
    expect(a.results.map((r) => r.quote)).toContain(LATIN1_EXPECTED[1]);
  });

  it('saves once when the same new link is added twice at the same time', async () => {
    const [a, b] = await Promise.all([engine.add([`${site.origin}/en`]), engine.add([`${site.origin}/en?utm_campaign=x`])]);
    expect([a.results[0], b.results[0]].map((r) => r!.ok && r!.status).sort()).toEqual(['added', 'unchanged']);
    expect((await readdir(seeds)).filter((f) => f.startsWith('da-nang'))).toEqual(['da-nang-approves-airport-light-rail-line.md']);
  });

  it('says in one line why a link was not added, and keeps everything already stored', async () => {
    const before = (await readdir(seeds)).sort();
    const { results, reindex } = await engine.add([`${site.origin}/missing`, `${site.origin}/doc.pdf`, `${site.origin}/empty`, 'ftp://example.org/x']);
    expect(results.map((r) => !r.ok && r.error.message)).toEqual([
      'the server answered 404',
      'not a web page (application/pdf)',
      'no article text found on that page',
      'only http and https links are accepted (got ftp:)',
    ]);
    expect(reindex).toBeNull();
    expect((await readdir(seeds)).sort()).toEqual(before);
    expect((await engine.ask('observatoire des volcans islandais')).answered).toBe(true);
  });
});
