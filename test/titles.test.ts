import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArticleFile } from '../src/core/text/ingest.js';
import { renderAnswer, renderArticle } from '../src/discord/render.js';
import { SEED, SEEDS_DIR } from './helpers/seeds.js';

const main = (file: string) => parseArticleFile(file, readFileSync(path.join(SEEDS_DIR, file), 'utf8'))[0]!;

describe('titles of articles without a headline', () => {
  it('are short and readable, not the opening sentence repeated', () => {
    const a = main(SEED.convention);
    const first = a.paragraphs[0]![0]!;
    expect(a.title).toBe('Le secrétaire général To Lam a reçu les chefs de délégation des pays participant');
    expect(first.startsWith(a.title)).toBe(false);
    for (const file of Object.values(SEED)) expect(main(file).title.length, file).toBeLessThanOrEqual(115);
  });

  it('are a whole phrase of the article’s own words, never cut with an ellipsis the source does not have', () => {
    const expected: Record<string, string> = {
      [SEED.singapore]: 'Le membre du Poliburo et ministre de la Séurité publique Tô Lâm s’est entretenu jeudi 16 novembre à Hanoi',
      [SEED.convention]: 'Le secrétaire général To Lam a reçu les chefs de délégation des pays participant',
    };
    for (const file of Object.values(SEED)) {
      const a = main(file);
      expect(a.title, file).not.toMatch(/…$/u);
      // A headline-less article's title is its opening words up to where a phrase ends.
      if (expected[file]) expect(a.title).toBe(expected[file]);
    }
  });

  it('escape Markdown in titles, as in quotes', () => {
    const article = { id: 'x.md', file: 'x.md', kind: 'article' as const, title: 'Les **dix** _premiers_ ports', date: '2025-10-14', dateText: null, link: null, paragraphs: [['Une phrase.']] };
    expect(renderArticle(article, 'fr').embeds![0]!.title).toBe('Les \\*\\*dix\\*\\* \\_premiers\\_ ports');
    const answer = { question: 'q', answered: true, match: 'answer' as const, mode: 'lexical' as const, model: null, pointers: [], articleLanguages: null, results: [{ quote: 'Une phrase.', source: 'x.md', title: article.title, date: null, dateText: null, link: null, score: 1, passageId: 'p', articleId: 'x.md', position: 0 }] };
    expect(renderAnswer(answer, 'fr')[0]!.embeds![0]!.title).toBe('1. Les \\*\\*dix\\*\\* \\_premiers\\_ ports');
  });
});
