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

interface Import {
  spec: string;
  /** Repository path of a relative import (".js" names the .ts source), else null. */
  target: string | null;
  /** `import(…)` or `typeof import(…)`: loaded when used, not with the importing module. */
  lazy: boolean;
}

/**
 * What a file imports: static imports, `export … from`, `import()` and `require()`, as the
 * TypeScript compiler itself finds them (a regular expression misses re-exports and dynamic imports).
 */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const info = ts.preProcessFile(text, true, true);
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lazy = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0]!)) lazy.add(node.arguments[0].text);
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) lazy.add(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  const staticSpecs = new Set(
    source.statements.flatMap((s) => ((ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) ? [s.moduleSpecifier.text] : [])),
  );
  return info.importedFiles.map(({ fileName: spec }) => ({
    spec,
    target: spec.startsWith('.') ? path.relative(ROOT, path.resolve(path.dirname(file), spec)).replace(/\.js$/u, '.ts') : null,
    lazy: lazy.has(spec) && !staticSpecs.has(spec),
  }));
}

const rel = (file: string): string => path.relative(ROOT, file);

/**
 * The core's folders, one per pipeline stage (text → retrieval → answer; the model beside them;
 * the stores apart), and what each may import besides itself, `core/types.ts` and `src/lib/`.
 */
const STAGES: Record<string, readonly string[]> = {
  'core/lang': [],
  'core/text': ['core/lang'],
  'core/model': [],
  'core/model/transformers': [],
  'core/retrieval': ['core/text', 'core/lang'],
  'core/answer': ['core/retrieval', 'core/text', 'core/lang'],
  'core/store': ['core/store/shared', 'core/text', 'core/retrieval', 'core/model'],
  'core/store/shared': ['core/text', 'core/retrieval', 'core/model', 'core/lang'],
  'core/store/files': ['core/store', 'core/store/shared', 'core/text', 'core/retrieval', 'core/model', 'core/lang'],
  'core/store/pg': ['core/store', 'core/store/shared', 'core/text', 'core/retrieval', 'core/model', 'core/lang'],
};
/** Kept out of their stage's face, for start-up time: the core and the engine import them with `import()` when first needed; web/, loaded only to add articles, imports them directly. */
const LAZY_MODULES = new Set(['src/core/text/ingest.ts']);

/** The innermost stage folder holding a repository path (`src/core/store/pg/live.ts` → `core/store/pg`), or null. */
function stageOf(file: string): string | null {
  const inSrc = file.replace(/^src\//u, '');
  return (
    Object.keys(STAGES)
      .filter((s) => inSrc.startsWith(`${s}/`))
      .sort((a, b) => b.length - a.length)[0] ?? null
  );
}

/** Imports of src/ files into src/, with where they come from and go. */
function srcImports(dir: string): { from: string; spec: string; target: string; lazy: boolean }[] {
  return sources(path.join(SRC, dir)).flatMap((file) =>
    importsOf(file).flatMap(({ spec, target, lazy }) => (target !== null ? [{ from: rel(file), spec, target, lazy }] : [])),
  );
}

const DISCORD_PACKAGES = /^(?:discord\.js|@discordjs\/)/u;
/** Development tools (fake Discord, load, bench, eval) live in tools/, tests in test/: neither is what users run. */
const DEV_TOOLS = /^(?:test|tools)\//u;

describe('dependencies point one way', () => {
  it('the scanner sees re-exports and dynamic imports (so the rules below can fail)', () => {
    const probe = path.join(ROOT, 'test/fixtures/architecture-probe.ts');
    const found = importsOf(probe);
    expect(found.map((i) => i.spec)).toEqual(expect.arrayContaining(['../../src/engine/index.js', 'discord.js', '../../src/cli/ask.js']));
    expect(found.find((i) => i.spec === '../../src/cli/ask.js')?.lazy).toBe(true);
    expect(found.find((i) => i.spec === '../../src/engine/index.js')?.lazy).toBe(false);
  });

  it('the core imports only itself, src/lib and packages other than Discord', () => {
    const files = sources(path.join(SRC, 'core'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      for (const { spec, target } of importsOf(file)) {
        const where = `${rel(file)} imports ${spec}`;
        expect(spec, where).not.toMatch(DISCORD_PACKAGES);
        if (target !== null) expect(target, where).toMatch(/^src\/(?:core|lib)\//u);
      }
    }
  });

  it('every file of the core is in a stage folder (or is the shared vocabulary, core/types.ts)', () => {
    for (const file of sources(path.join(SRC, 'core')).map(rel)) {
      if (file === 'src/core/types.ts') continue;
      expect(stageOf(file), file).not.toBeNull();
    }
    for (const stage of Object.keys(STAGES)) expect(statSync(path.join(SRC, stage, 'index.ts')).isFile(), `src/${stage}/index.ts`).toBe(true);
  });

  it('stages import only the stages before them: lang ← text ← retrieval ← answer; the stores use text, retrieval and model, never answer', () => {
    const checked = new Set<string>();
    for (const { from, spec, target } of srcImports('core')) {
      const own = stageOf(from);
      const theirs = stageOf(target);
      if (own === null || theirs === null || own === theirs) continue;
      // A nested folder is part of its parent stage (model/transformers, model), except the stores' folders: each is a stage of its own.
      if ((own.startsWith(`${theirs}/`) || theirs.startsWith(`${own}/`)) && !own.startsWith('core/store')) continue;
      checked.add(`${own} → ${theirs}`);
      expect(STAGES[own], `${from} imports ${spec}: ${own} may not import ${theirs}`).toContain(theirs);
    }
    // The rule above really ran over cross-stage imports.
    expect([...checked]).toEqual(expect.arrayContaining(['core/answer → core/retrieval', 'core/retrieval → core/text', 'core/store/pg → core/store/shared']));
  });

  it('the two stores never import each other, only store/shared', () => {
    for (const { from, spec, target } of srcImports('core/store')) {
      const where = `${from} imports ${spec}`;
      if (from.startsWith('src/core/store/files/')) expect(target, where).not.toMatch(/^src\/core\/store\/pg\//u);
      if (from.startsWith('src/core/store/pg/')) expect(target, where).not.toMatch(/^src\/core\/store\/files\//u);
    }
  });

  it('an import into another stage goes through its index.ts (its public face)', () => {
    let crossings = 0;
    for (const { from, spec, target, lazy } of srcImports('')) {
      const theirs = stageOf(target);
      if (theirs === null || stageOf(from) === theirs) continue;
      // Inside a stage, a nested folder reaches its parent's files freely (model/transformers → model), but not a store's folder.
      if (from.startsWith(`src/${theirs}/`) && theirs !== 'core/store') continue;
      crossings++;
      if (LAZY_MODULES.has(target)) {
        // The core and the engine are on every start's path: there, only with import().
        if (/^src\/(?:core|engine)\//u.test(from)) expect(lazy, `${from} imports ${spec}: only with import()`).toBe(true);
        continue;
      }
      expect(target, `${from} imports ${spec}: use src/${theirs}/index.ts`).toBe(`src/${theirs}/index.ts`);
    }
    expect(crossings).toBeGreaterThan(20);
  });

  it('only the fence, core/model/transformers/, touches transformers.js (its internals are patched there alone)', () => {
    const users = sources(SRC).filter((file) => importsOf(file).some((i) => i.spec.startsWith('@xenova/transformers')) || readFileSync(file, 'utf8').includes("'@xenova/transformers/"));
    expect(users.length).toBeGreaterThan(0);
    for (const file of users) expect(rel(file), rel(file)).toMatch(/^src\/core\/model\/transformers\//u);
  });

  it('lang/ is data: it imports nothing and defines no functions', () => {
    const files = sources(path.join(SRC, 'core/lang'));
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      expect(importsOf(file).filter((i) => !i.spec.startsWith('./')), rel(file)).toEqual([]);
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const functions: string[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node)) functions.push(node.getText(source).slice(0, 60));
        ts.forEachChild(node, visit);
      };
      visit(source);
      expect(functions, rel(file)).toEqual([]);
    }
  });

  it('adapters → engine → core: the core never reaches the engine or an adapter, the engine never reaches Discord or the CLI', () => {
    for (const { from, spec, target } of srcImports('core')) expect(target, `${from} imports ${spec}`).not.toMatch(/^src\/(?:engine|discord|cli|web|config\.ts|main\.ts)/u);
    for (const { from, spec, target } of srcImports('engine')) expect(target, `${from} imports ${spec}`).not.toMatch(/^src\/(?:discord|cli|main\.ts)/u);
    for (const { from, spec, target } of srcImports('web')) expect(target, `${from} imports ${spec}`).not.toMatch(/^src\/(?:engine|discord|cli|main\.ts)/u);
  });

  it('the Discord layer never reaches the CLI or development tools', () => {
    for (const file of sources(path.join(SRC, 'discord'))) {
      for (const { spec, target } of importsOf(file)) {
        if (target !== null) expect(target, `${rel(file)} imports ${spec}`).not.toMatch(/^src\/cli\/|^src\/main\.ts$/u);
        if (target !== null) expect(target, `${rel(file)} imports ${spec}`).not.toMatch(DEV_TOOLS);
      }
    }
  });

  it('what users run (everything under src/) never imports development tools or tests', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      for (const { spec, target } of importsOf(file)) {
        if (target !== null) expect(target, `${rel(file)} imports ${spec}`).not.toMatch(DEV_TOOLS);
      }
    }
  });

  it('development tools are where the rule above expects them', () => {
    for (const dir of ['fake-discord', 'load', 'bench', 'eval', 'cli']) expect(sources(path.join(ROOT, 'tools', dir)).length, `tools/${dir}`).toBeGreaterThan(0);
    expect(sources(SRC).filter((f) => /\/(?:bench|eval|load|fake-discord)\//u.test(f))).toEqual([]);
  });
});
