import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_EMBEDDING_MODEL, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('has defaults that work with an empty environment', () => {
    const c = loadConfig({}, '/app');
    expect(c.EMBEDDING_MODEL).toBe(DEFAULT_EMBEDDING_MODEL);
    expect(c.SEEDS_DIR).toBe('/app/seeds');
    expect(c.EMBEDDINGS_DIR).toBe('/app/embeddings');
    expect(c.MODELS_DIR).toBe('/app/models');
    expect(c.OFFLINE).toBe(false);
    expect(c.DISCORD_TOKEN).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('uses the model imported by npm run model:import when only that one is on disk', () => {
    const models = mkdtempSync(path.join(os.tmpdir(), 'models-'));
    expect(loadConfig({ MODELS_DIR: models }).EMBEDDING_MODEL).toBe(DEFAULT_EMBEDDING_MODEL);
    const imported = path.join(models, 'multilingual-e5-small-q4');
    mkdirSync(imported);
    writeFileSync(path.join(imported, 'config.json'), '{}');
    expect(loadConfig({ MODELS_DIR: models }).EMBEDDING_MODEL).toBe(imported);
    // A downloaded Hub copy wins, and so does an explicit choice.
    const hub = path.join(models, 'Xenova', 'multilingual-e5-small');
    mkdirSync(hub, { recursive: true });
    writeFileSync(path.join(hub, 'config.json'), '{}');
    expect(loadConfig({ MODELS_DIR: models }).EMBEDDING_MODEL).toBe(DEFAULT_EMBEDDING_MODEL);
    expect(loadConfig({ MODELS_DIR: models, EMBEDDING_MODEL: 'other/model' }).EMBEDDING_MODEL).toBe('other/model');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DISCORD_TOKEN: '', OFFLINE: ' ' }).DISCORD_TOKEN).toBeUndefined();
  });

  it('reads flags and numbers', () => {
    const c = loadConfig({ OFFLINE: '1', COOLDOWN_QUESTIONS: '3', DISCORD_GUILD_ID: '123456789012345678' });
    expect(c.OFFLINE).toBe(true);
    expect(c.COOLDOWN_QUESTIONS).toBe(3);
    expect(c.DISCORD_GUILD_ID).toBe('123456789012345678');
  });

  it('names every bad value on its own line', () => {
    let error: unknown;
    try {
      loadConfig({ OFFLINE: 'maybe', DISCORD_GUILD_ID: 'abc', DISCORD_API_BASE: 'not a url', COOLDOWN_SECONDS: '-1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as Error).message.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.some((l) => l.startsWith('OFFLINE:'))).toBe(true);
    expect(lines.some((l) => l.startsWith('DISCORD_GUILD_ID:'))).toBe(true);
    expect(lines.some((l) => l.startsWith('DISCORD_API_BASE:'))).toBe(true);
    expect(lines.some((l) => l.startsWith('COOLDOWN_SECONDS:'))).toBe(true);
  });

  it('never echoes the token in an error', () => {
    const token = 'abc def secret';
    expect(() => loadConfig({ DISCORD_TOKEN: token })).toThrow(/DISCORD_TOKEN/);
    try {
      loadConfig({ DISCORD_TOKEN: token });
    } catch (e) {
      expect((e as Error).message).not.toContain('secret');
    }
  });
});
