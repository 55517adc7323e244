import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { QuestionError, cleanQuestion } from '../core/text/index.js';
import { createEngine, type Engine, type LibraryScope } from '../engine/index.js';
import { fail, messageOf } from './fail.js';
import { answerJson, answerText } from './output.js';

const USAGE = `Usage: npm run ask -- [--json] [--require-model] [--library SERVER_ID] "question"
       npm run ask -- --json --file questions.txt   (one question per line)
  --library  answer as in that Discord server: its own library and the shared base (default: the shared base)`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        file: { type: 'string' },
        'require-model': { type: 'boolean', default: false },
        library: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    fail(`${messageOf(error)}\n${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  let questions: string[];
  if (values.file !== undefined) {
    if (positionals.length > 0) fail('give either --file or a question, not both', 2);
    const text = await readFile(values.file, 'utf8').catch((e: NodeJS.ErrnoException) => fail(`cannot read ${values.file}: ${e.code ?? e.message}`, 2));
    questions = text.split(/\r?\n/u).filter((line) => line.trim() !== '');
  } else {
    if (positionals.length === 0) fail(`no question given\n${USAGE}`, 2);
    // Validate before loading anything: a bad question should fail fast.
    try {
      questions = [cleanQuestion(positionals.join(' '))];
    } catch (error) {
      fail(messageOf(error), 2);
    }
  }

  if (values.library !== undefined && !/^\d{17,20}$/u.test(values.library)) fail('--library: must be a server id (17 to 20 digits)', 2);
  const config = loadConfig();
  const engine = await createEngine(config, {
    giveUpOnDatabaseAfterMs: config.DATABASE_WAIT,
    requireModel: values['require-model'],
    log: { info: () => {}, warn: (m) => process.stderr.write(`warning: ${m}\n`) },
  });

  // With DATABASE_URL the engine holds a pool and a LISTEN connection: closed, or the process never exits.
  try {
    const library = engine.library(values.library ?? null);
    for (const question of questions) await answerOne(engine, library, question, values.json);
  } finally {
    await engine.close();
  }
}

async function answerOne(engine: Engine, library: LibraryScope, question: string, json: boolean): Promise<void> {
  try {
    const answer = await library.ask(question);
    process.stdout.write(json ? `${JSON.stringify(answerJson(answer))}\n` : `${answerText(answer)}\n`);
  } catch (error) {
    if (!(error instanceof QuestionError)) throw error;
    // In a batch, a bad line keeps its place in the output so answers stay aligned with questions.
    if (json) {
      process.stdout.write(`${JSON.stringify({ question, answered: false, mode: engine.mode, results: [], error: error.message })}\n`);
    } else {
      fail(error.message, 2);
    }
  }
}

main().catch((error: unknown) => fail(messageOf(error)));
