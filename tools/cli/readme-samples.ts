/** `npm run readme:samples`: writes the README's sample answers from a real run of the bot as deployed (the imported e5). */
import { readFile, writeFile } from 'node:fs/promises';
import { loadConfig } from '../../src/config.js';
import { createEngine } from '../../src/engine/index.js';
import { fail, messageOf } from '../../src/cli/fail.js';
import { renderSamples, withSamples } from '../readme/samples.js';

async function main(): Promise<void> {
  const engine = await createEngine(loadConfig(), { requireModel: true, log: { info: () => {}, warn: (m) => process.stderr.write(`warning: ${m}\n`) } });
  try {
    if (engine.mode !== 'hybrid') fail('the samples are those of the bot as deployed: run `npm run model:import` first', 2);
    const readme = await readFile('README.md', 'utf8');
    await writeFile('README.md', withSamples(readme, await renderSamples(engine)));
    process.stdout.write('README.md: samples written\n');
  } finally {
    await engine.close();
  }
}

main().catch((error: unknown) => fail(messageOf(error)));
