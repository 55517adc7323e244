import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { STATIC_MODEL_NAME, buildStaticModel } from '../model-setup/build-static-model.js';
import { fail, messageOf } from './fail.js';

const USAGE = `Usage: npm run model:build -- [--out DIR]
Builds the project's own small embedding model from the .txt/.md files in SEEDS_DIR
into MODELS_DIR/${STATIC_MODEL_NAME} (or DIR). No download.`;

async function main(): Promise<void> {
  let values: { out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    }));
  } catch (error) {
    fail(`${messageOf(error)} (usage: npm run model:build -- [--out DIR])`, 2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  const config = loadConfig();
  const outDir = path.resolve(values.out ?? path.join(config.MODELS_DIR, STATIC_MODEL_NAME));
  const entries = await readdir(config.SEEDS_DIR, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) =>
    fail(`cannot read the seeds folder ${config.SEEDS_DIR}: ${e.code ?? e.message}`),
  );
  // Sorted, so the same folder always gives byte-identical model files.
  const files = entries
    .filter((e) => e.isFile() && /\.(txt|md)$/i.test(e.name))
    .map((e) => e.name)
    .sort();
  if (files.length === 0) fail(`no .txt or .md files in ${config.SEEDS_DIR} to build the model from`);
  const texts = await Promise.all(files.map((f) => readFile(path.join(config.SEEDS_DIR, f), 'utf8')));

  const model = await buildStaticModel({ texts, outDir });
  const relative = path.relative(process.cwd(), model.dir);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : model.dir;
  process.stdout.write(
    `Wrote ${STATIC_MODEL_NAME} (${model.vocabSize} tokens, ${model.dimension} dimensions, from ${files.length} files) to ${model.dir}; ` +
      `use it with EMBEDDING_MODEL=${shown}\n`,
  );
}

main().catch((error: unknown) => {
  // A config error has one line per bad variable; keep the promise of a single line.
  const message = error instanceof ConfigError ? error.message.split('\n').join('; ') : messageOf(error);
  fail(message.split('\n')[0] ?? message);
});
