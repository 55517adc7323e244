import { beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../src/core/answer/answer.js';
import { indexCorpus, loadCorpus, type LoadedCorpus } from '../src/core/text/corpus.js';
import { parseArticleFile } from '../src/core/text/ingest.js';
import { buildLexicalIndex } from '../src/core/retrieval/lexical/index.js';
import { parseQuestion, QuestionError } from '../src/core/text/question.js';
import type { Retrievers } from '../src/core/retrieval/retrieve.js';
import { SEED, SEEDS_DIR, normalisedSeed } from './helpers/seeds.js';

let corpus: LoadedCorpus;
let retrievers: Retrievers;
beforeAll(async () => {
  corpus = await loadCorpus(SEEDS_DIR);
  retrievers = { lexical: buildLexicalIndex(corpus.passages) };
});

describe('answerQuestion over the seeds', () => {
  const questions = [
    'Quand a été signé le mémorandum sur les substances psychotropes ?',
    'Qui a reçu les chefs de délégation au siège du Comité central ?',
    'Combien de pays et organisations étaient représentés à la cérémonie de signature ?',
    'Quel protocole le Vietnam et Singapour ont-ils signé en 2022 ?',
    'Avec quels pays Luong Tam Quang a-t-il eu des rencontres bilatérales ?',
  ];

  it('quotes verbatim substrings of the cited source', async () => {
    for (const q of questions) {
      const a = await answerQuestion(parseQuestion(q), corpus, retrievers);
      expect(a.answered, q).toBe(true);
      for (const r of a.results) expect(normalisedSeed(r.source), q).toContain(r.quote);
    }
  });

  it('quotes the sentence that answers, with its article date', async () => {
    const a = await answerQuestion(parseQuestion('Quel protocole le Vietnam et Singapour ont-ils signé en 2022 ?'), corpus, retrievers);
    expect(a.results[0]).toMatchObject({ source: SEED.singapore, date: '2023-11' });
    expect(a.results[0]!.quote).toContain('17 octobre 2022');
  });

  it('shows a 002 blurb with its own October date, never July', async () => {
    const a = await answerQuestion(parseQuestion('Quand le président sud-africain Ramaphosa est-il arrivé à Hanoï ?'), corpus, retrievers);
    expect(a.results[0]).toMatchObject({ source: SEED.russiaJuly, date: '2025-10-23' });
    expect(a.results[0]!.quote).toContain('Ramaphosa');
    for (const r of a.results.filter((r) => r.quote.includes('Ramaphosa'))) expect(r.dateText).not.toContain('juillet');
  });

  it('abstains on questions the corpus cannot answer, with pointers', async () => {
    for (const q of ['Quel temps fera-t-il demain à Paris ?', 'Who won the football match yesterday?', 'Recette du pho au boeuf']) {
      const a = await answerQuestion(parseQuestion(q), corpus, retrievers);
      expect(a, q).toMatchObject({ answered: false, results: [], mode: 'lexical' });
    }
  });

  it('near-topic: quotes the closest passages as "related" when none says what is asked', async () => {
    // The ceremony is in the articles; what it cost is not: no sentence states an amount.
    const a = await answerQuestion(parseQuestion("Combien a coûté l'organisation de la cérémonie de signature ?"), corpus, retrievers);
    expect(a.match).toBe('related');
    expect(a.answered).toBe(true);
    expect(a.results.length).toBeGreaterThan(0);
    for (const r of a.results) expect(normalisedSeed(r.source)).toContain(r.quote);
    expect(a.results.some((r) => /cérémonie/u.test(r.quote))).toBe(true);
    // Asked what the articles do state about it, the same topic is an answer.
    const b = await answerQuestion(parseQuestion('Combien de pays et organisations étaient représentés à la cérémonie de signature ?'), corpus, retrievers);
    expect(b.match).toBe('answer');
    // And nothing close: no quotes at all.
    const c = await answerQuestion(parseQuestion('Quel temps fera-t-il demain à Paris ?'), corpus, retrievers);
    expect(c).toMatchObject({ match: 'nothing', answered: false, results: [] });
  });

  it('quotes the sentence holding the question’s rare focus words before one holding only its names, even when meaning prefers the names', async () => {
    const q = parseQuestion('Luong Tam Quang a-t-il parlé de mobiliser des ressources financières communes ?');
    const focusSentence = (s: string) => s.includes('ressources financières communes');
    const anchorSentence = (s: string) => s.startsWith('Le général Luong Tam Quang, ministre de la Police, a participé');
    // A model whose meaning ranks the sentence with the minister's name first.
    const unit = (x: number) => [x, Math.sqrt(1 - x * x)];
    const vector = (s: string) => unit(anchorSentence(s) ? 0.88 : focusSentence(s) ? 0.85 : 0.8);
    const byId = new Map(corpus.passages.map((p) => [p.id, p]));
    const dense = {
      modelName: 'fake',
      family: 'e5',
      embedQuery: async () => [1, 0],
      search: (v: number[], k: number) => corpus.passages.map((p) => ({ id: p.id, score: Math.max(...p.sentences.map((s) => vector(s)[0]!)) })).sort((a, b) => b.score - a.score).slice(0, k),
      sentenceVector: (s: string) => vector(s),
      passageVector: (id: string) => vector(byId.get(id)!.sentences.find(anchorSentence) ?? byId.get(id)!.sentences.find(focusSentence) ?? ''),
    };
    for (const r of [retrievers, { lexical: retrievers.lexical, dense }]) {
      const a = await answerQuestion(q, corpus, r);
      expect(a.match).toBe('answer');
      expect(focusSentence(a.results[0]!.quote), a.results[0]!.quote).toBe(true);
    }
  });

  it('abstains on a question in another script', async () => {
    for (const q of ['Кто подписал конвенцию?', '谁签署了公约？']) {
      expect((await answerQuestion(parseQuestion(q), corpus, retrievers)).answered).toBe(false);
    }
  });

  it('refuses empty and over-long questions with a short message', () => {
    expect(() => parseQuestion(' \u200B\t ')).toThrow(QuestionError);
    expect(() => parseQuestion('a'.repeat(1001))).toThrow(/too long/u);
  });
});

describe('quote choice on small articles', () => {
  const small = (text: string): { c: LoadedCorpus; r: Retrievers } => {
    const c = indexCorpus(parseArticleFile('a.txt', text));
    return { c, r: { lexical: buildLexicalIndex(c.passages) } };
  };

  it('adds the sentence before a dangling pronoun', async () => {
    const { c, r } = small(
      'Le ministre Tô Lâm a reçu la délégation finlandaise à Hanoï. Il a proposé un accord sur les pêcheries arctiques. La réunion a duré deux heures.',
    );
    const a = await answerQuestion(parseQuestion('accord pêcheries arctiques'), c, r);
    expect(a.results[0]!.quote).toBe(
      'Le ministre Tô Lâm a reçu la délégation finlandaise à Hanoï. Il a proposé un accord sur les pêcheries arctiques.',
    );
  });

  it('does not quote the same statement twice', async () => {
    const lead = 'Le ministre a signé un protocole sur les volcans islandais.';
    const { c, r } = small(`${lead}\n\nAutre chose sans rapport.\n\n${lead.replace('.', ' .')}\n\nEncore autre chose.`);
    const a = await answerQuestion(parseQuestion('protocole volcans islandais'), c, r);
    expect(a.answered).toBe(true);
    expect(a.results).toHaveLength(1);
  });
});
