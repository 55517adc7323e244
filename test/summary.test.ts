import { describe, expect, it } from 'vitest';
import { coverageOf, summarize } from '../src/core/answer/index.js';
import { buildLexicalIndex } from '../src/core/retrieval/index.js';
import { loadCorpus } from '../src/core/text/corpus.js';
import { summaryRequest } from '../src/core/text/index.js';
import type { Article } from '../src/core/types.js';
import { SEEDS_DIR } from './helpers/seeds.js';

describe('extractive summaries', () => {
  it('are 3 to 5 of the article’s own sentences, verbatim and in its order, covering more of it than its lead', async () => {
    const corpus = await loadCorpus(SEEDS_DIR);
    const lexical = buildLexicalIndex(corpus.passages);
    for (const article of corpus.articles.filter((a) => a.kind === 'article')) {
      const sentences = article.paragraphs.flat();
      const summary = summarize(article, lexical);
      expect(summary.length, article.file).toBeGreaterThanOrEqual(3);
      expect(summary.length).toBeLessThanOrEqual(5);
      const positions = summary.map((s) => sentences.indexOf(s));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(coverageOf(article, summary, lexical), article.file).toBeGreaterThan(coverageOf(article, sentences.slice(0, summary.length), lexical));
    }
  });

  it('never takes a sentence that leans on the one before without it', () => {
    const article: Article = {
      id: 'x', file: 'x.txt', kind: 'article', title: 'x', date: null, dateText: null, link: null,
      paragraphs: [['Le ministre a visité une ferme de saumons norvégiens à Bergen hier matin.', 'Elles renforceront leur coopération dans la pêche des saumons, la surveillance des bassins et la recherche marine.', 'Un accord sur les volcans islandais a aussi été signé à Reykjavik par les deux délégations.', 'La presse locale a salué une rencontre utile pour les chercheurs des deux pays.']],
    };
    const corpus = [{ id: 'p', text: article.paragraphs.flat().join(' '), title: 'x' }];
    const lexical = buildLexicalIndex(corpus as never);
    // Alone, the richest sentence would be the one starting "Elles": it cannot stand alone.
    expect(summarize(article, lexical, 1)[0]).not.toMatch(/^Elles/u);
    const all = summarize(article, lexical, 4);
    const i = all.findIndex((s) => s.startsWith('Elles'));
    expect(i).toBeGreaterThan(0);
    expect(all[i - 1]).toBe(article.paragraphs[0]![0]);
  });

  it('reads what people ask for a summary, and of what', () => {
    expect(summaryRequest("résume l'article sur Singapour")).toEqual({ topic: 'singapour' });
    expect(summaryRequest('summarise the UNODC part')).toEqual({ topic: 'unodc part' });
    expect(summaryRequest('fais un résumé de la convention de Hanoï')).toEqual({ topic: 'la convention de hanoi' });
    expect(summaryRequest('résume')).toBeNull();
    expect(summaryRequest('Qui a résumé la convention ?')).toBeNull();
  });
});
