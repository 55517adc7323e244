import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { QuestionError, cleanQuestion } from '../core/text/index.js';
import { Conversations, createEngine, type Engine, type LibraryScope } from '../engine/index.js';
import { fail, messageOf } from './fail.js';
import { answerJson, answerText } from './output.js';

const USAGE = `Usage: npm run ask -- [--json] [--require-model] [--library SERVER_ID] "question"
       npm run ask -- --json --file questions.txt   (one question per line, each on its own)
       npm run ask -- --json --conversation turns.txt   (one turn per line, each following up on the one before; a blank line starts a new conversation)
  --library  answer as in that Discord server: its own library and the shared base (default: the shared base)`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        file: { type: 'string' },
        conversation: { type: 'string' },
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

  // A null line ends a conversation (--conversation's blank lines).
  let questions: (string | null)[];
  const listed = values.conversation ?? values.file;
  if (values.conversation !== undefined && values.file !== undefined) fail('give either --file or --conversation, not both', 2);
  if (listed !== undefined) {
    if (positionals.length > 0) fail(`give either --${values.conversation !== undefined ? 'conversation' : 'file'} or a question, not both`, 2);
    const text = await readFile(listed, 'utf8').catch((e: NodeJS.ErrnoException) => fail(`cannot read ${listed}: ${e.code ?? e.message}`, 2));
    const lines = text.split(/\r?\n/u);
    questions = values.conversation !== undefined ? lines.map((line) => (line.trim() === '' ? null : line)) : lines.filter((line) => line.trim() !== '');
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
    const conversation = values.conversation !== undefined ? new Conversations() : null;
    const key = Conversations.key(null, 'cli', 'cli');
    for (const question of questions) {
      if (question === null) conversation?.forget(key);
      else await answerOne(engine, library, question, values.json, conversation, key);
    }
  } finally {
    await engine.close();
  }
}

async function answerOne(engine: Engine, library: LibraryScope, question: string, json: boolean, conversation: Conversations | null, key: string): Promise<void> {
  try {
    const answer = await library.ask(question, { previous: conversation?.previous(key) ?? null });
    conversation?.remember(key, answer);
    process.stdout.write(json ? `${JSON.stringify(answerJson(answer, conversation !== null))}\n` : `${answerText(answer)}\n`);
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
