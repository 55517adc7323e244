import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { LoadedCorpus } from '../src/core/text/corpus.js';
import { outsideDates } from '../src/core/retrieval/time-filter.js';
import { parseTimeIntent } from '../src/core/text/periods.js';
import type { Passage } from '../src/core/types.js';
import { createEngine, type Engine } from '../src/engine/index.js';
import { makeTempDir } from './helpers/static-model.js';

const WED = new Date(2025, 9, 22); // Wednesday 22 October 2025, local time

describe('time in questions', () => {
  it('reads months, years and relative periods in French and English', () => {
    expect(parseTimeIntent('Qu’a signé le Vietnam en septembre 2024 ?', WED).period).toEqual({ from: '2024-09-01', to: '2024-09-30', label: 'en septembre 2024' });
    expect(parseTimeIntent('What happened in October 2025?', WED).period).toEqual({ from: '2025-10-01', to: '2025-10-31', label: 'in October 2025' });
    expect(parseTimeIntent('Et en 2024 ?', WED).period).toMatchObject({ from: '2024-01-01', to: '2024-12-31' });
    expect(parseTimeIntent('Qu’a dit le ministre la semaine dernière ?', WED)).toEqual({ period: { from: '2025-10-13', to: '2025-10-19', label: 'la semaine dernière' }, latest: false, topic: 'Qu’a dit le ministre ?' });
    expect(parseTimeIntent('What was signed last month?', WED).period).toMatchObject({ from: '2025-09-01', to: '2025-09-30' });
    expect(parseTimeIntent('Qu’est-ce qui a été signé hier ?', WED).period).toMatchObject({ from: '2025-10-21', to: '2025-10-21' });
    expect(parseTimeIntent('février 2024 ?', WED).period).toMatchObject({ from: '2024-02-01', to: '2024-02-29' });
  });

  it('tells "the latest" from a period, and a full date from a month', () => {
    expect(parseTimeIntent('Quelles sont les dernières nouvelles sur le riz ?', WED)).toMatchObject({ period: null, latest: true, topic: 'Quelles sont les nouvelles sur le riz ?' });
    expect(parseTimeIntent('What is the latest on rice exports?', WED).latest).toBe(true);
    expect(parseTimeIntent('Le Vietnam a-t-il récemment signé un accord ?', WED).latest).toBe(true);
    expect(parseTimeIntent('Quel accord a été signé le 17 octobre 2022 ?', WED)).toMatchObject({ period: null, latest: false });
    expect(parseTimeIntent('Qui a reçu les chefs de délégation ?', WED)).toMatchObject({ period: null, latest: false });
  });
});

describe('answers narrowed by time', () => {
  let engine: Engine;
  const today = new Date();
  const day = (d: Date): string => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  // A day of last (calendar) week: Wednesday of the week before this one.
  const lastWeek = new Date(today.getFullYear(), today.getMonth(), today.getDate() - ((today.getDay() + 6) % 7) - 5);

  beforeAll(async () => {
    const dir = await makeTempDir('time-');
    const seeds = path.join(dir, 'seeds');
    await mkdir(seeds);
    const article = (title: string, date: string, text: string) => `---\ntitle: "${title}"\ndate: ${date}\n---\n${text}\n`;
    await writeFile(path.join(seeds, 'a.md'), article('Riz : premier accord', '2024-09-10', 'Le Vietnam et les Philippines ont signé un accord sur les exportations de riz portant sur 1,5 million de tonnes.'));
    await writeFile(path.join(seeds, 'b.md'), article('Riz : nouvel accord', '2025-10-05', 'Le Vietnam et les Philippines ont signé un nouvel accord sur les exportations de riz portant sur deux millions de tonnes.'));
    await writeFile(path.join(seeds, 'c.md'), article('Riz : accord complémentaire', day(lastWeek), 'Le Vietnam et les Philippines ont signé un accord complémentaire sur les exportations de riz portant sur 500 000 tonnes.'));
    await writeFile(path.join(seeds, 'd.md'), article('Rice deal', '2025-10-20', 'Vietnam and the Philippines signed an agreement on rice exports covering two million tonnes, officials said.'));
    const config = loadConfig({ SEEDS_DIR: seeds, EMBEDDINGS_DIR: path.join(dir, 'embeddings'), EMBEDDING_MODEL: path.join(dir, 'no-model'), OFFLINE: '1' });
    engine = await createEngine(config, { log: { info: () => {}, warn: () => {} } });
  });

  it('keeps only the articles of the month asked for, and says which period it used', async () => {
    const sept = await engine.ask('Quel accord sur les exportations de riz le Vietnam a-t-il signé avec les Philippines en septembre 2024 ?');
    expect(sept.answered).toBe(true);
    expect(sept.results.map((r) => r.source)).toEqual(['a.md']);
    expect(sept.period).toMatchObject({ label: 'en septembre 2024' });
    expect(sept.results[0]!.published).toEqual({ date: '2024-09-10', dateText: null });
    const oct = await engine.ask('Which agreement on rice exports did Vietnam and the Philippines sign in October 2025?');
    expect(oct.results.map((r) => r.source)).toContain('d.md');
    expect(oct.results.every((r) => ['b.md', 'd.md'].includes(r.source))).toBe(true);
  });

  it('reads "la semaine dernière" relative to today', async () => {
    const a = await engine.ask('Quel accord sur les exportations de riz le Vietnam a-t-il signé la semaine dernière ?');
    expect(a.results.map((r) => r.source)).toEqual(['c.md']);
  });

  it('puts the newest article first when the question asks for the latest', async () => {
    const plain = await engine.ask('Quel accord sur les exportations de riz le Vietnam a-t-il signé avec les Philippines ?');
    const latest = await engine.ask('Quel est le dernier accord sur les exportations de riz signé par le Vietnam avec les Philippines ?');
    expect(latest.results[0]!.source).toBe('c.md');
    expect(plain.period).toBeNull();
    expect(latest.results.length).toBeGreaterThan(1);
  });

  it('says so when no article is of the period asked for', async () => {
    const a = await engine.ask('Quel accord sur les exportations de riz a été signé en mars 2019 ?');
    expect(a.answered).toBe(false);
    expect(a.outsideDates).toEqual({ first: '2024-09-10', last: day(lastWeek) > '2025-10-20' ? day(lastWeek) : '2025-10-20', undated: [] });
  });
});

describe('the dates passages state, found at ingest', () => {
  const passage = (id: string, text: string, date: string | null): Passage =>
    ({ id, key: `${id}:0`, articleId: id, file: `${id}.md`, title: id, link: null, position: 0, paragraph: 0, sentences: [text], text, date, dateText: null }) as Passage;
  const corpus = (passages: Passage[], statedDates?: string[]): LoadedCorpus => ({
    articles: [],
    passages,
    skipped: [],
    passageById: new Map(passages.map((p) => [p.id, p])),
    articleById: new Map(),
    languages: ['fr'],
    ...(statedDates ? { statedDates } : {}),
  });
  const march2019 = { from: '2019-03-01', to: '2019-03-31', label: 'en mars 2019' };

  it('are what outsideDates reads when the store found them, and the text otherwise', () => {
    const texts = [passage('a', 'Le port a rouvert le 12 mars 2019.', null), passage('b', 'Rien de daté ici.', '2024-09-10')];
    expect(outsideDates(march2019, corpus(texts))).toBeNull();
    // The list wins over the text, both ways: proof that the text is not read.
    expect(outsideDates(march2019, corpus(texts, []))).toEqual({ first: '2024-09-10', last: '2024-09-10', undated: [] });
    expect(outsideDates(march2019, corpus([passage('c', 'Rien.', null)], ['2019-03-12']))).toBeNull();
  });

  it('are kept in the text index through a restart and an added file', async () => {
    const dir = await makeTempDir('stated-');
    const seeds = path.join(dir, 'seeds');
    await mkdir(seeds);
    await writeFile(path.join(seeds, 'a.md'), '---\ntitle: "Port"\n---\nLe port de Hai Phong a rouvert le 12 mars 2019 après des travaux.\n');
    const config = loadConfig({ SEEDS_DIR: seeds, EMBEDDINGS_DIR: path.join(dir, 'embeddings'), EMBEDDING_MODEL: path.join(dir, 'no-model'), OFFLINE: '1' });
    const start = () => createEngine(config, { log: { info: () => {}, warn: () => {} } });
    const first = await start();
    expect(first.corpus.statedDates).toEqual(['2019-03', '2019-03-12']);
    await first.close();

    const again = await start(); // read back from the base
    expect(again.corpus.statedDates).toEqual(['2019-03', '2019-03-12']);
    const asked = await again.ask('Quel port a été inauguré en mars 2019 au Cambodge ?');
    expect(asked.outsideDates ?? null).toBeNull();
    await writeFile(path.join(seeds, 'b.md'), '---\ntitle: "Pont"\n---\nLe pont a été achevé en décembre 2021, selon le ministère.\n');
    await again.reindex();
    expect(again.corpus.statedDates).toEqual(['2019-03', '2019-03-12', '2021-12']);
    await again.close();

    const third = await start(); // the base and a delta
    expect(third.corpus.statedDates).toEqual(['2019-03', '2019-03-12', '2021-12']);
    await third.close();
  });
});

describe('time words that are not about time', () => {
  it('"dernier cri" is not "the latest"', () => {
    expect(parseTimeIntent('La cité-État va-t-elle offrir des outils dernier cri ?', WED)).toMatchObject({ latest: false, topic: 'La cité-État va-t-elle offrir des outils dernier cri ?' });
  });
});

describe('periods and undated articles', () => {
  it('searches an article with no publication date for a period, and never says that no article is of it', async () => {
    const { SEEDS_DIR } = await import('./helpers/seeds.js');
    const dir = await makeTempDir('undated-');
    const config = loadConfig({ SEEDS_DIR, EMBEDDINGS_DIR: path.join(dir, 'embeddings'), EMBEDDING_MODEL: path.join(dir, 'no-model'), OFFLINE: '1' });
    const engine = await createEngine(config, { log: { info: () => {}, warn: () => {} } });
    try {
      // The 2017 meeting is in an article whose dateline has no year ("Hanoi, 25 juillet (VNA)").
      const a = await engine.ask('Qui a rencontré Patrushev en 2017 ?');
      expect(a.answered).toBe(true);
      expect(a.results[0]!.source).toBe('002_09a78b2aaf5faed8.txt');
      // Its dateline is not a publication date.
      expect(a.results[0]).toMatchObject({ published: null, dateline: '25 juillet' });
      const { answerText } = await import('../src/cli/output.js');
      expect(answerText(a)).toMatch(/^\(en 2017 : certaines citations viennent d’articles sans date de publication/u);
      // Nothing answers: the undated articles are named as searched, not ruled out.
      const none = await engine.ask('Quelle est la recette de la tarte aux pommes en mars 2019 ?');
      expect(none.outsideDates?.undated).toContain('Vietnam-Russie : renforcement des relations de coopération dans la sécurité');
      expect(answerText(none)).toMatch(/^Rien dans les articles ne répond à cette question pour cette période \(en mars 2019\)\. Les articles datés ont été publiés de 2023-11 à \S+\. 2 articles n’ont pas de date de publication et ont été cherchés aussi : « /u);
      expect(answerText(none)).not.toMatch(/Aucun article ne date de cette période/u);
    } finally {
      await engine.close();
    }
  });
});
