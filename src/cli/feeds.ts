import cliProgress from 'cli-progress';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createEngine } from '../engine/index.js';
import { describePass } from '../web/feeds.js';
import { fail, messageOf } from './fail.js';
import { embeddingProgress } from './progress.js';

const USAGE = `Usage: npm run feeds
One pass over every feed in FEEDS (due or not): new items are fetched and saved in SEEDS_DIR,
then the index is updated. What was seen is remembered in EMBEDDINGS_DIR/feeds.json.`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { help: { type: 'boolean', short: 'h', default: false } } }));
  } catch (error) {
    fail(`${messageOf(error)}\n${USAGE}`, 2);
  }
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const config = loadConfig();
  if (config.FEEDS.length === 0) fail('no feeds: set FEEDS to one or more RSS, Atom or JSON feed URLs', 2);

  const embedding = embeddingProgress();
  const engine = await createEngine(config, {
    giveUpOnDatabaseAfterMs: config.DATABASE_WAIT,
    onProgress: embedding.update,
    log: { info: () => {}, warn: (m) => process.stderr.write(`warning: ${m}\n`) },
  }).finally(embedding.stop);

  const stream = process.stderr;
  const bar = stream.isTTY ? new cliProgress.SingleBar({ format: 'Feeds {bar} {value}/{total} articles | {label}', stream, hideCursor: true }, cliProgress.Presets.shades_classic) : null;
  let started = false;
  const onProgress = (done: number, total: number, label: string): void => {
    if (bar) {
      if (!started) bar.start(total, 0, { label: '' });
      started = true;
      bar.update(done, { label: label.slice(0, 50) });
    } else if (done > 0) {
      stream.write(`[${done}/${total}] ${label}\n`);
    }
  };
  // With DATABASE_URL the engine holds a pool and a LISTEN connection: closed, or the process never exits.
  const report = await engine.feeds!.runOnce({ force: true, onProgress }).finally(() => engine.close());
  if (started) bar?.stop();
  process.stdout.write(`${describePass(report)}\n`);
  for (const f of engine.feeds!.status()) {
    process.stdout.write(`  ${f.title ?? f.url}: ${f.articles} articles; last success ${f.lastSuccess ?? 'never'}${f.lastError ? `; last error: ${f.lastError}` : ''}\n`);
  }
}

main().catch((error: unknown) => fail(messageOf(error)));
