import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createEngine, type Engine } from '../../src/engine/index.js';
import { SEEDS_DIR, normalisedSeed } from '../helpers/seeds.js';
import { requireImportedModel } from './model.js';

/** The questions that went wrong when the bot was tried as a user would, with the real model. */
describe('questions users tried, answered with the imported multilingual-e5-small', () => {
  let engine: Engine;
  beforeAll(async () => {
    const config = loadConfig({ SEEDS_DIR, EMBEDDINGS_DIR: mkdtempSync(path.join(os.tmpdir(), 'gate-found-')), EMBEDDING_MODEL: requireImportedModel(), OFFLINE: '1' });
    engine = await createEngine(config, { log: { info: () => {}, warn: () => {} }, requireModel: true });
  });

  const quotes = async (q: string) => {
    const a = await engine.ask(q);
    expect(a.mode).toBe('hybrid');
    for (const r of a.results) expect(normalisedSeed(r.source)).toContain(r.quote);
    return a;
  };

  it('abstains on off-topic questions that share a word with the articles', async () => {
    for (const q of ['Quel temps fait-il à Oslo ?', 'Quelle est la capitale de la France ?', 'Who won the 2024 US presidential election?']) {
      expect((await quotes(q)).answered, q).toBe(false);
    }
  });

  it('says, when an English question finds nothing, that the articles are in French', async () => {
    const a = await quotes('What is the best recipe for apple pie?');
    expect(a.answered).toBe(false);
    expect(a.articleLanguages).toEqual(['fr']);
  });

  it('quotes the sentence that answers plain French questions', async () => {
    const top = async (q: string) => (await quotes(q)).results.map((r) => r.quote);
    expect((await top("Qui dirige l'ONUDC ?"))[0]).toContain('Ghada Waly');
    expect((await top('Qui To Lam a-t-il rencontré le 23 avril à Saint-Pétersbourg ?')).join(' ')).toContain('Nikolai Patrushev');
    expect((await top("Qu'a dit Vladimir Poutine dans son message vidéo ?"))[0]).toContain('terrorisme international');
  });

  it('answers English questions from the French articles', async () => {
    const a = await quotes('Who leads the UNODC?');
    expect(a.answered).toBe(true);
    expect(a.results[0]!.quote).toContain('Ghada Waly');
    expect(a.model).toMatch(/multilingual-e5-small/u);
  });
});
