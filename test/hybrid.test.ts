import { beforeAll, describe, expect, it } from 'vitest';
import { parseQuestion } from '../src/core/text/question.js';
import { answerQuestion } from '../src/core/answer/answer.js';
import { loadCorpus, type LoadedCorpus } from '../src/core/text/corpus.js';
import type { Embedder } from '../src/core/model/types.js';
import { loadEmbedder } from '../src/core/model/embedder.js';
import { fuseRankings } from '../src/core/retrieval/fusion.js';
import { buildLexicalIndex } from '../src/core/retrieval/lexical/index.js';
import type { Retrievers } from '../src/core/retrieval/retrieve.js';
import { updateVectorIndex, type VectorIndex } from '../src/core/store/files/vector-index/index.js';
import { SEED, normalisedSeed } from './helpers/seeds.js';
import { buildTestModel, makeTempDir, SEEDS_DIR } from './helpers/static-model.js';

describe('fuseRankings', () => {
  it('orders by summed reciprocal ranks', () => {
    // b is second in both lists; a is first in one and absent from the other.
    const fused = fuseRankings([
      ['a', 'b', 'c'],
      ['d', 'b', 'c'],
    ]);
    expect(fused.map((f) => f.id)).toEqual(['b', 'c', 'a', 'd']);
    expect(fused[0]!.score).toBeCloseTo(2 / 62, 10);
    expect(fused[2]!.score).toBeCloseTo(1 / 61, 10);
  });

  it('lets agreement beat a single first place', () => {
    const fused = fuseRankings([['x', 'y'], ['y'], ['y', 'x']]);
    expect(fused[0]!.id).toBe('y');
  });
});

describe('dense retrieval on the seed corpus with the project-built model', () => {
  let corpus: LoadedCorpus;
  let embedder: Embedder;
  let index: VectorIndex;
  let retrievers: Retrievers;

  beforeAll(async () => {
    corpus = await loadCorpus(SEEDS_DIR);
    const loaded = await loadEmbedder({ model: await buildTestModel(), modelsDir: await makeTempDir(), offline: true });
    if (!loaded.ok) throw new Error(loaded.message);
    embedder = loaded.embedder;
    ({ index } = await updateVectorIndex({ dir: await makeTempDir(), embedder, passages: corpus.passages }));
    retrievers = {
      lexical: buildLexicalIndex(corpus.passages),
      dense: {
        modelName: embedder.name,
        family: 'uncalibrated',
        embedQuery: async (q) => (await embedder.embedQueries([q]))[0]!,
        search: (v, k) => index.search(v, k),
        sentenceVector: (s) => index.sentenceVector(s),
        passageVector: (id) => index.passageVector(id),
      },
    };
  });

  it('HNSW top-k equals brute-force top-k', async () => {
    const questions = ['substances psychotropes', 'Convention de Hanoï cybercriminalité', 'Singapour big data', 'BRICS hémisphère Sud', 'fleurs Hô Chi Minh'];
    for (const q of questions) {
      const v = (await embedder.embedQueries([q]))[0]!;
      const brute = corpus.passages
        .map((p) => ({ id: p.id, score: dot(index.passageVector(p.id)!, v) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 10);
      const hnsw = index.search(v, 10);
      expect(hnsw.map((h) => h.id)).toEqual(brute.map((b) => b.id));
      hnsw.forEach((h, i) => expect(h.score).toBeCloseTo(brute[i]!.score, 5));
    }
  });

  it('answers in hybrid mode with verbatim quotes and the right date', async () => {
    const a = await answerQuestion(parseQuestion('Quand a été signé le protocole de coopération en cybersécurité avec Singapour ?'), corpus, retrievers);
    expect(a.mode).toBe('hybrid');
    expect(a.results[0]).toMatchObject({ source: SEED.singapore, date: '2023-11' });
    expect(a.results[0]!.quote).toContain('17 octobre 2022');
    for (const r of a.results) expect(normalisedSeed(r.source)).toContain(r.quote);
  });

  it('still abstains on off-topic questions in hybrid mode', async () => {
    for (const q of ['Quelle est la recette de la tarte aux pommes ?', 'Who won the football world cup?']) {
      expect((await answerQuestion(parseQuestion(q), corpus, retrievers)).answered, q).toBe(false);
    }
  });
});

function dot(a: readonly number[], b: readonly number[]): number {
  return a.reduce((s, x, i) => s + x * b[i]!, 0);
}
