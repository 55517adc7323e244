import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/seeds.js';

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gmu)].map((m) => m[1]!);

describe('dependencies point one way', () => {
  it('the retrieval core knows nothing of Discord, the CLI, the engine or the configuration', () => {
    const dir = path.join(ROOT, 'src/core');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      for (const spec of importsOf(path.join(dir, f))) {
        expect(spec, `${f} imports ${spec}`).not.toMatch(/^discord\.js|^@discordjs|\.\.\/(discord|cli|engine|config|main|bench|eval)/u);
      }
    }
  });

  it('the Discord layer reaches the core only through the engine and plain core modules, never the CLI', () => {
    const dir = path.join(ROOT, 'src/discord');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      for (const spec of importsOf(path.join(dir, f))) expect(spec, `${f} imports ${spec}`).not.toMatch(/\.\.\/cli\//u);
    }
  });
});
