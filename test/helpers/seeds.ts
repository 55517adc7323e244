import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SEEDS_DIR = path.join(ROOT, 'seeds');

/** A seed file's text with runs of whitespace collapsed, as quotes are compared against it. */
export function normalisedSeed(file: string): string {
  return readFileSync(path.join(SEEDS_DIR, file), 'utf8').replace(/\s+/gu, ' ');
}

export function seedFiles(): string[] {
  return readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort();
}

export const SEED = {
  spb2024: '000_5e9c82074653900e.txt',
  police2024: '001_49acf10bf5a5b541.txt',
  russiaJuly: '002_09a78b2aaf5faed8.txt',
  singapore: '003_c9ff3885ea96f6c4.txt',
  convention: '004_6ba6103c8974e72c.txt',
} as const;
