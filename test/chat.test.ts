import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runConsoleChat } from '../src/cli/chat.js';
import type { Engine } from '../src/engine/index.js';

describe('the terminal chat', () => {
  it('answers "help" and "aide" with what it can do and example questions from the articles’ titles, in the language typed', async () => {
    const asked: string[] = [];
    const engine = {
      suggestArticles: () => [
        { id: 'a', kind: 'article', title: 'Cérémonie d’accueil officielle du président sud-africain' },
        { id: 'a#1', kind: 'related', title: 'Un article lié' },
        { id: 'b', kind: 'article', title: 'Vietnam-Russie : coopération dans la sécurité' },
      ],
      library: () => ({
        news: async () => null,
        ask: async (q: string) => {
          asked.push(q);
          return { question: q, answered: false, match: 'nothing', mode: 'lexical', model: null, results: [], pointers: [], articleLanguages: null };
        },
      }),
    } as unknown as Engine;
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (d: Buffer) => (text += d.toString()));
    const done = runConsoleChat(engine, input, output);
    input.end('help\naide\nQui a signé ?\n');
    await done;
    expect(text).toContain('Ask a question about the articles, in French or English');
    expect(text).toContain('What do the articles say about "Cérémonie d’accueil officielle du président sud-africain"?');
    expect(text).not.toContain('Un article lié');
    expect(text).toContain('Que disent les articles sur « Vietnam-Russie : coopération dans la sécurité » ?');
    // Only the real question went to the engine.
    expect(asked).toEqual(['Qui a signé ?']);
  });

  it('asks each question with the turn before it, so a follow-up can continue it', async () => {
    const previous: unknown[] = [];
    const quote = { quote: 'Le 23 avril, le ministre To Lam a rencontré Nikolai Patrushev.', source: 'a.txt', title: 'T', date: null, dateText: null, link: null, score: 1, passageId: 'a#p0', articleId: 'a', position: 0 };
    const engine = {
      library: () => ({
        news: async () => null,
        ask: async (q: string, options: { previous?: unknown }) => {
          previous.push(options.previous ?? null);
          return { question: q, answered: true, match: 'answer', mode: 'lexical', model: null, results: [quote], pointers: [], articleLanguages: null };
        },
      }),
    } as unknown as Engine;
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    const done = runConsoleChat(engine, input, output);
    input.end('Qui a rencontré Patrushev ?\nEt quand ?\n');
    await done;
    expect(previous).toEqual([null, { understood: 'Qui a rencontré Patrushev ?', articles: ['a'], quotes: [quote.quote] }]);
  });
});
