/**
 * `npm run feedback`: the 👍 / 👎 people gave the bot's answers, from the store (embeddings/ or
 * DATABASE_URL), newest last; `--export` prints each 👎 as a candidate line for
 * test/eval/questions.jsonl (its `source` and `expect` to be filled in by whoever checks it).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { guessLang } from '../core/text/index.js';
import type { FeedbackEntry, FeedbackLog } from '../core/store/index.js';
import { fail, messageOf } from './fail.js';

const USAGE = `Usage: npm run feedback -- [--export] [--server SERVER_ID]
  --export  the 👎 ones as candidate lines for test/eval/questions.jsonl (fill in "source" and "expect", or leave them null for a question the articles cannot answer)
  --server  only the feedback given in that Discord server`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { export: { type: 'boolean', default: false }, server: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } }));
  } catch (error) {
    fail(`${messageOf(error)}\n${USAGE}`, 2);
  }
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  if (values.server !== undefined && !/^\d{17,20}$/u.test(values.server)) fail('--server: must be a server id (17 to 20 digits)', 2);
  const config = loadConfig();
  const { log, close } = await openLog(config);
  try {
    const entries = await log.list(values.server);
    if (values.export) {
      for (const e of entries.filter((x) => x.vote === 'down')) process.stdout.write(`${JSON.stringify(candidate(e))}\n`);
      return;
    }
    if (entries.length === 0) return void process.stdout.write('no feedback yet\n');
    for (const e of entries) process.stdout.write(`${line(e)}\n`);
    const up = entries.filter((e) => e.vote === 'up').length;
    process.stdout.write(`\n${entries.length} ratings, ${up} 👍 (${Math.round((100 * up) / entries.length)}%), ${entries.length - up} 👎\n`);
  } finally {
    await close();
  }
}

async function openLog(config: ReturnType<typeof loadConfig>): Promise<{ log: FeedbackLog; close: () => Promise<void> }> {
  if (!config.DATABASE_URL) {
    const { FileFeedbackLog } = await import('../core/store/files/index.js');
    return { log: new FileFeedbackLog(config.EMBEDDINGS_DIR), close: async () => {} };
  }
  const { PgFeedbackLog, connectDatabase } = await import('../core/store/pg/index.js');
  const pool = await connectDatabase({ url: config.DATABASE_URL, log: { info: () => {}, warn: (m) => process.stderr.write(`warning: ${m}\n`) }, giveUpAfterMs: config.DATABASE_WAIT, max: 1 });
  return { log: new PgFeedbackLog(async () => pool), close: () => pool.end() };
}

function line(e: FeedbackEntry): string {
  const first = e.quotes[0];
  return [e.at.slice(0, 16).replace('T', ' '), e.vote === 'up' ? '👍' : '👎', e.reason ?? '-', e.server ?? 'DM', e.match, JSON.stringify(e.question), first ? `→ ${first.source}: ${JSON.stringify(first.quote.slice(0, 80))}` : '→ no quote'].join('  ');
}

/** A 👎 as a line of the question set, for a person to complete: the bot's quotes are kept beside it, not as the expected one. */
function candidate(e: FeedbackEntry): object {
  return {
    q: e.question,
    source: null,
    expect: null,
    lang: guessLang(e.question),
    category: null,
    split: 'dev',
    feedback: { reason: e.reason, match: e.match, mode: e.mode, model: e.model, at: e.at, quoted: e.quotes.map((q) => `${q.source}: ${q.quote}`) },
  };
}

main().catch((error: unknown) => fail(messageOf(error)));
