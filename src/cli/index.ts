import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { formatReport } from '../core/store/shared/index.js';
import { createEngine } from '../engine/index.js';
import { fail, messageOf } from './fail.js';
import { embeddingProgress } from './progress.js';

const USAGE = 'Usage: npm run index -- [--require-model]';

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { 'require-model': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } }));
  } catch (error) {
    fail(`${messageOf(error)}\n${USAGE}`, 2);
  }
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const config = loadConfig();
  const progress = embeddingProgress();
  const started = performance.now();
  const engine = await createEngine(config, {
    giveUpOnDatabaseAfterMs: config.DATABASE_WAIT,
    requireModel: values['require-model'],
    // With DATABASE_URL, this is the writer: bring the database up to date with the seeds.
    updateOnStart: true,
    onProgress: progress.update,
    log: { info: (m) => process.stderr.write(`${m}\n`), warn: (m) => process.stderr.write(`warning: ${m}\n`) },
  }).finally(progress.stop);
  // With DATABASE_URL the engine holds a pool and a LISTEN connection: closed, or the process never exits.
  try {
    // about(): with PG_LEXICAL=postgres the engine holds no passages, only their count.
    const { articles, passages } = engine.about();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (engine.model === null) {
      process.stdout.write(`${articles} articles, ${passages} passages (lexical only: no embedding model, so no vector index) in ${seconds}s\n`);
      return;
    }
    const report = engine.lastIndexReport;
    process.stdout.write(`${report ? formatReport(report) : 'index up to date'} — ${articles} articles, ${passages} passages, model ${engine.model}, in ${seconds}s\n`);
  } finally {
    await engine.close();
  }
}

main().catch((error: unknown) => fail(messageOf(error)));
