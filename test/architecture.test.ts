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
/** Development tools (fake Discord, load, bench, eval) live in tools/, tests in test/: neither is what users run. */
const DEV_TOOLS = /^(?:test|tools)\//u;

describe('dependencies point one way', () => {
  it('the scanner sees re-exports and dynamic imports (so the rules below can fail)', () => {
    const probe = path.join(ROOT, 'test/fixtures/architecture-probe.ts');
    const found = importsOf(probe).map((i) => i.spec);
    expect(found).toEqual(expect.arrayContaining(['../../src/engine/index.js', 'discord.js', '../../src/cli/ask.js']));
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

  it('what users run (everything under src/) never imports development tools or tests', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      for (const { spec, target } of importsOf(file)) {
        if (target !== null) expect(target, `${path.relative(ROOT, file)} imports ${spec}`).not.toMatch(DEV_TOOLS);
      }
    }
  });

  it('development tools are where the rule above expects them', () => {
    for (const dir of ['fake-discord', 'load', 'bench', 'eval', 'cli']) expect(sources(path.join(ROOT, 'tools', dir)).length, `tools/${dir}`).toBeGreaterThan(0);
    expect(sources(SRC).filter((f) => /\/(?:bench|eval|load|fake-discord)\//u.test(f))).toEqual([]);
  });
});
