import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createEngine, describeReindex } from '../engine/index.js';
import { fail, messageOf } from './fail.js';
import { embeddingProgress } from './progress.js';

const USAGE = `Usage: npm run add -- <url> [<url>…]
Fetches each page, extracts its article and saves it as SEEDS_DIR/<slug>.md (the same link
again updates that file), then updates the index. One line per link says what happened.`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h', default: false } } });
  } catch (error) {
    fail(`${messageOf(error)}\n${USAGE}`, 2);
  }
  if (parsed.values.help) return void process.stdout.write(`${USAGE}\n`);
  const urls = parsed.positionals;
  if (urls.length === 0) fail(`no link given\n${USAGE}`, 2);

  const config = loadConfig();
  const progress = embeddingProgress();
  const engine = await createEngine(config, {
    giveUpOnDatabaseAfterMs: config.DATABASE_WAIT,
    onProgress: progress.update,
    log: { info: () => {}, warn: (m) => process.stderr.write(`warning: ${m}\n`) },
  }).finally(progress.stop);
  // With DATABASE_URL the engine holds a pool and a LISTEN connection: closed, or the process never exits.
  const { results, reindex } = await engine.add(urls).finally(() => engine.close());
  let failed = 0;
  for (const r of results) {
    if (r.ok) {
      const date = r.date ?? 'no date';
      process.stdout.write(`${r.status}: ${r.file} — ${r.title} · ${date} · ${r.passages ?? 0} passages\n`);
    } else {
      failed++;
      // The operator may mean a site on their own network: say what lifts the guard (never said in Discord, where it is not theirs to lift).
      const hint = r.error.code === 'private' ? ' (ALLOW_PRIVATE_URLS=1 allows pages on your own network)' : '';
      process.stdout.write(`failed: ${r.url} — ${r.error.message}${hint}\n`);
    }
  }
  if (reindex) process.stderr.write(`index: ${describeReindex(reindex)}\n`);
  process.exitCode = failed === results.length ? 1 : 0;
}

main().catch((error: unknown) => fail(messageOf(error)));
