import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateCorpus, type GeneratedCorpus, type GeneratedFile } from '../../tools/bench/corpus/generate.js';
import { ingestArticles } from '../../src/core/text/ingest.js';
import { parseQuestions } from '../../tools/eval/metrics.js';
import { ROOT, SEEDS_DIR, seedFiles } from './seeds.js';

/** The seed articles as generator material, and the seed files themselves. */
export async function generatorInput(): Promise<{ sources: Awaited<ReturnType<typeof ingestArticles>>['articles']; originals: GeneratedFile[] }> {
  const { articles } = await ingestArticles(SEEDS_DIR);
  const originals = seedFiles().map((name) => ({ name, text: readFileSync(path.join(SEEDS_DIR, name), 'utf8') }));
  return { sources: articles, originals };
}

/** A generated corpus of about `passages` passages (seeds included), written to `dir`. */
export async function writeGenerated(dir: string, passages: number, seed = 7): Promise<GeneratedCorpus> {
  const { sources, originals } = await generatorInput();
  const corpus = generateCorpus({ seed, passages, sources, originals });
  await mkdir(dir, { recursive: true });
  for (const f of corpus.files) await writeFile(path.join(dir, f.name), f.text);
  return corpus;
}

/** The evaluation's questions, and a few that exercise glued words, typos and repeats. */
export function testQuestions(): string[] {
  const evalQuestions = parseQuestions(readFileSync(path.join(ROOT, 'test/eval/questions.jsonl'), 'utf8')).map((q) => q.q);
  return [...evalQuestions, 'dansla sécurité', 'dupartenariat stratégique', 'Patrushev Patrouchev', 'vietnam vietnam vietnam', 'protocole cybersecurite singapourien', 'APEC2017', 'le la de'];
}
