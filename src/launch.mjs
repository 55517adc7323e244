/**
 * Runs one of the bot's TypeScript entry points (`npm start`, `ask`, `index`, `add`, `feeds`) as
 * JavaScript compiled ahead of time into dist/, compiling first whatever changed since the last run.
 *
 * Why not tsx, as the development tools do: its module hooks run on a thread of their own and
 * every import of the bot and of its model thread goes through them, which cost about 0.7 s of a
 * start at 100,000 passages (4.4 → 3.7 s, measured side by side; `npm run bench`). Compiling is
 * esbuild's per-file transform, the one tsx applies, so both run the same code; `npm test` type-checks.
 *
 * Usage: node [node flags] src/launch.mjs src/main.ts [arguments…]
 *        node src/launch.mjs --compile   (compile only: for an image whose files are read-only at run time)
 * Plain JavaScript, because nothing is compiled yet when it runs.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
export const REPO = path.resolve(path.dirname(SELF), '..');
/** dist/ mirrors the repository: dist/src/main.js is src/main.ts, so relative imports between trees hold. */
export const DIST = 'dist';

/**
 * Compiles the TypeScript files of `dirs` (relative to `root`) into `root/dist`, and copies their
 * other files (SQL migrations). A file is redone when its output is missing or does not carry the
 * source's modification time, which each output is given; outputs whose source is gone are
 * removed. Safe with several processes at once (sharded starts): each output is written whole
 * under a temporary name, then renamed. Returns the files it wrote.
 */
export async function compileTree(dirs, root = REPO) {
  const stale = [];
  const wanted = new Set();
  // Another esbuild or other settings compile the same sources differently: everything is redone.
  const stampFile = path.join(root, DIST, '.compiled');
  const stamp = `${JSON.stringify({ esbuild: esbuildVersion(), ...TRANSFORM })}\n`;
  const previous = readText(stampFile);
  const restamp = previous !== stamp;
  // Only over another stamp: with none yet, a process starting beside the first compile would
  // delete the files the first one is about to import.
  if (previous !== null && restamp) rmSync(path.join(root, DIST), { recursive: true, force: true });
  for (const dir of dirs) {
    for (const source of walk(path.join(root, dir))) {
      const rel = path.relative(root, source);
      if (/\.d\.m?ts$/u.test(rel) || source === SELF) continue;
      const out = path.join(root, DIST, rel.endsWith('.ts') ? `${rel.slice(0, -3)}.js` : rel);
      wanted.add(out);
      const mtime = statSync(source).mtimeMs;
      // Within a millisecond: times set on a file round-trip through seconds as a double.
      if (Math.abs(mtimeOf(out) - mtime) >= 1) stale.push({ source, rel, out, mtime });
    }
    for (const out of walk(path.join(root, DIST, dir))) if (!wanted.has(out) && !out.includes('.tmp-')) rmSync(out, { force: true });
  }
  if (stale.length === 0 && !restamp) return [];
  // Loaded only when something changed: a start with nothing to compile does not pay for it.
  const { transform } = await import('esbuild');
  await Promise.all(
    stale.map(async ({ source, rel, out, mtime }) => {
      const text = readFileSync(source);
      const code = rel.endsWith('.ts') ? (await transform(text.toString('utf8'), { ...TRANSFORM, sourcefile: rel })).code : text;
      mkdirSync(path.dirname(out), { recursive: true });
      const tmp = `${out}.tmp-${process.pid}`;
      writeFileSync(tmp, code);
      utimesSync(tmp, Date.now() / 1000, mtime / 1000);
      renameSync(tmp, out);
    }),
  );
  mkdirSync(path.dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, stamp);
  return stale.map((s) => s.rel);
}

const TRANSFORM = { loader: 'ts', format: 'esm', target: 'node20' };

function esbuildVersion() {
  try {
    return JSON.parse(readFileSync(path.join(REPO, 'node_modules', 'esbuild', 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

function readText(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function mtimeOf(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

function* walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

async function main() {
  const compileOnly = process.argv[2] === '--compile';
  const entry = process.argv[2] && !compileOnly ? path.relative(REPO, path.resolve(process.argv[2])).split(path.sep).join('/') : '';
  if (!compileOnly && !(/^src\/.+\.ts$/u.test(entry) && existsSync(path.join(REPO, entry)))) {
    process.stderr.write('usage: node src/launch.mjs src/<entry>.ts [arguments…]  or  node src/launch.mjs --compile\n');
    process.exit(2);
  }
  try {
    await compileTree(['src']);
  } catch (error) {
    // A syntax error in a source, or a read-only checkout: one line, as every error the bot shows.
    const message = error instanceof Error ? (error.message.split('\n').find((l) => l.trim()) ?? error.message) : String(error);
    process.stderr.write(`error: could not compile the bot into ${DIST}/: ${message}\n`);
    process.exit(1);
  }
  if (compileOnly) return;
  // The entry sees the arguments it would see if it had been run directly.
  const compiled = path.join(REPO, DIST, `${entry.slice(0, -3)}.js`);
  process.argv.splice(1, 2, compiled);
  await import(pathToFileURL(compiled).href);
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) await main();
