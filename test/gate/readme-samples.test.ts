import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createEngine } from '../../src/engine/index.js';
import { renderSamples, samplesIn } from '../../tools/readme/samples.js';
import { ROOT, SEEDS_DIR } from '../helpers/seeds.js';
import { requireImportedModel } from './model.js';

describe('the README’s sample answers', () => {
  it('are what the bot as deployed prints for them (npm run readme:samples writes them)', async () => {
    const config = loadConfig({ SEEDS_DIR, EMBEDDINGS_DIR: mkdtempSync(path.join(os.tmpdir(), 'gate-readme-')), EMBEDDING_MODEL: requireImportedModel(), OFFLINE: '1' });
    const engine = await createEngine(config, { log: { info: () => {}, warn: () => {} }, requireModel: true });
    try {
      expect(samplesIn(readFileSync(path.join(ROOT, 'README.md'), 'utf8'))).toBe(await renderSamples(engine));
    } finally {
      await engine.close();
    }
  });
});
