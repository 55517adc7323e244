import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/seeds.js';

const SRC = path.join(ROOT, 'src');

/** Every .ts file under a folder, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/**
 * What a file imports: static imports, `export … from`, `import()` and `require()`, as the
 * TypeScript compiler itself finds them (a regular expression misses re-exports and dynamic imports).
 */
function importsOf(file: string): { spec: string; target: string | null }[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map(({ fileName: spec }) => ({
    spec,
    // Relative imports resolved to a path under the repository (".js" names the .ts source).
    target: spec.startsWith('.') ? path.relative(ROOT, path.resolve(path.dirname(file), spec)).replace(/\.js$/u, '.ts') : null,
  }));
}

const DISCORD_PACKAGES = /^(?:discord\.js|@discordjs\/)/u;
/** Folders and files of development tools: what measures or fakes, never what users run. */
const DEV_TOOLS = /^(?:test\/|src\/(?:bench|eval|load)\/|src\/cli\/(?:bench|eval|load|parity)\.ts)/u;

describe('dependencies point one way', () => {
  it('the scanner sees re-exports and dynamic imports (so the rules below can fail)', () => {
    const probe = path.join(ROOT, 'test/fixtures/architecture-probe.ts');
    const found = importsOf(probe).map((i) => i.spec);
    expect(found).toEqual(expect.arrayContaining(['../../src/engine.js', 'discord.js', '../../src/cli/ask.js']));
  });

  it('the retrieval core imports only itself, src/lib and packages other than Discord', () => {
    const files = sources(path.join(SRC, 'core'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      for (const { spec, target } of importsOf(file)) {
        const where = `${path.relative(ROOT, file)} imports ${spec}`;
        expect(spec, where).not.toMatch(DISCORD_PACKAGES);
        if (target !== null) expect(target, where).toMatch(/^src\/(?:core|lib)\//u);
      }
    }
  });

  it('the Discord layer never reaches the CLI or development tools', () => {
    for (const file of sources(path.join(SRC, 'discord'))) {
      for (const { spec, target } of importsOf(file)) {
        if (target !== null) expect(target, `${path.relative(ROOT, file)} imports ${spec}`).not.toMatch(/^src\/cli\/|^src\/main\.ts$/u);
        if (target !== null) expect(target, `${path.relative(ROOT, file)} imports ${spec}`).not.toMatch(DEV_TOOLS);
      }
    }
  });

  it('what users run (the bot, the terminal chat, ask, index, add, feeds, model import) never imports development tools', () => {
    const userFacing = [
      path.join(SRC, 'main.ts'),
      path.join(SRC, 'engine.ts'),
      path.join(SRC, 'config.ts'),
      ...['ask', 'chat', 'index', 'output', 'progress', 'sharded', 'import-model', 'build-model'].map((n) => path.join(SRC, 'cli', `${n}.ts`)),
      ...sources(path.join(SRC, 'core')),
      ...sources(path.join(SRC, 'discord')),
      ...sources(path.join(SRC, 'model')),
    ];
    for (const file of userFacing) {
      for (const { spec, target } of importsOf(file)) {
        if (target !== null) expect(target, `${path.relative(ROOT, file)} imports ${spec}`).not.toMatch(DEV_TOOLS);
      }
    }
  });
});
