import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { textFingerprint } from '../src/core/store/files/fingerprint.js';
import { compileTree, DIST } from '../src/launch.mjs';
import { ROOT } from './helpers/seeds.js';
import { makeTempDir } from './helpers/static-model.js';

async function tree(files: Record<string, string>): Promise<string> {
  const root = await makeTempDir('launch-');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
  return root;
}

const later = (file: string): void => {
  const t = statSync(file).mtimeMs / 1000 + 5;
  utimesSync(file, t, t);
};

describe('src/launch.mjs: the users’ entry points, compiled into dist/', () => {
  it('compiles TypeScript to runnable ESM and copies other files, mirroring the tree', async () => {
    const root = await tree({
      'src/a.ts': "import type { B } from './b.js';\nimport { b } from './b.js';\nexport const a: B = b + 1;\n",
      'src/b.ts': 'export type B = number;\nexport const b: B = 41;\n',
      'src/db/migrations/1_x.sql': 'select 1;\n',
      'src/types.d.ts': 'declare const x: number;\n',
    });
    expect((await compileTree(['src'], root)).sort()).toEqual(['src/a.ts', 'src/b.ts', 'src/db/migrations/1_x.sql']);
    const out = path.join(root, DIST, 'src');
    expect(readFileSync(path.join(out, 'db/migrations/1_x.sql'), 'utf8')).toBe('select 1;\n');
    expect(existsSync(path.join(out, 'types.d.ts'))).toBe(false);
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `import('${path.join(out, 'a.js')}').then((m) => console.log(m.a))`], { encoding: 'utf8' });
    expect(run.stdout.trim()).toBe('42');
  });

  it('redoes only what changed, and drops what was deleted', async () => {
    const root = await tree({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 2;\n', 'src/c.ts': 'export const c = 3;\n' });
    await compileTree(['src'], root);
    expect(await compileTree(['src'], root)).toEqual([]);
    await writeFile(path.join(root, 'src/b.ts'), 'export const b = 20;\n');
    later(path.join(root, 'src/b.ts'));
    await rm(path.join(root, 'src/c.ts'));
    expect(await compileTree(['src'], root)).toEqual(['src/b.ts']);
    expect(readFileSync(path.join(root, DIST, 'src/b.js'), 'utf8')).toContain('20');
    expect(existsSync(path.join(root, DIST, 'src/c.js'))).toBe(false);
    expect(existsSync(path.join(root, DIST, 'src/a.js'))).toBe(true);
  });

  it('a source that does not parse fails the compile with esbuild’s message', async () => {
    const root = await tree({ 'src/bad.ts': 'export const = ;\n' });
    await expect(compileTree(['src'], root)).rejects.toThrow(/Expected/u);
  });

  it('the compiled bot keeps the text index the sources built: same fingerprint', async () => {
    await compileTree(['src']);
    const compiled = path.join(ROOT, DIST, 'src/core/store/files/fingerprint.js');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `import('${compiled}').then((m) => console.log(m.textFingerprint()))`], { encoding: 'utf8' });
    expect(run.stdout.trim()).toBe(textFingerprint());
  });

  it('refuses an entry point that is not one of the sources, in one line', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'src/launch.mjs'), 'src/no-such-entry.ts'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^usage: node src\/launch\.mjs/u);
  });
});
