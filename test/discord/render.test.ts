import { describe, expect, it } from 'vitest';
import type { Answer, Quote } from '../../src/core/types.js';
import { LIMITS, splitText } from '../../src/discord/limits.js';
import { embedSize, renderAnswer, type Reply } from '../../src/discord/render.js';

const sentence = (i: number): string => `La phrase numéro ${i} parle de coopération en matière de cybersécurité entre les deux pays.`;
const longQuote = (n: number): string => Array.from({ length: n }, (_, i) => sentence(i)).join(' ');

function quote(text: string, i: number): Quote {
  return { quote: text, source: 'a.txt', title: `Titre ${i}`, date: '2024-04', dateText: null, link: 'https://example.org/a', score: 1, passageId: `p${i}`, articleId: 'a.txt', position: i };
}

function withinLimits(r: Reply): void {
  expect((r.content ?? '').length).toBeLessThanOrEqual(LIMITS.content);
  expect(r.embeds?.length ?? 0).toBeLessThanOrEqual(LIMITS.embeds);
  expect((r.embeds ?? []).reduce((s, e) => s + embedSize(e), 0)).toBeLessThanOrEqual(LIMITS.embedTotal);
  for (const e of r.embeds ?? []) {
    expect((e.title ?? '').length).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect((e.description ?? '').length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(e.fields?.length ?? 0).toBeLessThanOrEqual(LIMITS.fields);
    for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
  }
  expect(r.allowedMentions).toEqual({ parse: [] });
}

describe('splitText', () => {
  it('splits on sentence boundaries, never mid-word', () => {
    const text = longQuote(60);
    const chunks = splitText(text, 500);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(500);
      expect(c).toMatch(/^La phrase numéro \d+/u);
      expect(c.endsWith('pays.')).toBe(true);
    }
    expect(chunks.join(' ')).toBe(text);
  });

  it('falls back to spaces for one over-long sentence', () => {
    const words = Array.from({ length: 400 }, (_, i) => `mot${i}`).join(' ');
    const chunks = splitText(words, 300);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(300);
    expect(chunks.join(' ')).toBe(words);
  });
});

describe('renderAnswer', () => {
  it('quotes at most about 400 characters of a very long sentence, cut at a word with a visible […], in one message', () => {
    const sentence = `${Array.from({ length: 1100 }, (_, i) => `mot${i}`).join(' ')}.`;
    expect(sentence.length).toBeGreaterThan(7000);
    const answer: Answer = { question: 'q', answered: true, match: 'answer', mode: 'lexical', model: null, articleLanguages: null, results: [0, 1, 2].map((i) => quote(i === 0 ? sentence : longQuote(120), i)), pointers: [] };
    const replies = renderAnswer(answer, 'en');
    expect(replies).toHaveLength(1);
    replies.forEach(withinLimits);
    const shown = replies[0]!.embeds!.map((e) => e.description!.replace(/^> /gmu, ''));
    shown.forEach((text, i) => {
      expect(text.length).toBeLessThanOrEqual(410);
      expect(text).toMatch(/^\S.* \[…\]$/u);
      // What is shown is the sentence's own opening, ending at a whole word.
      const opening = text.slice(0, -' […]'.length);
      expect(answer.results[i]!.quote.startsWith(opening)).toBe(true);
      expect(answer.results[i]!.quote[opening.length]).toMatch(/[\s,;:]/u);
    });
    // Context buttons (the rest of the text) come once, on the last message.
    expect(replies.filter((r) => r.components).length).toBe(1);
  });

  it('restates the question first, escaped and short, and gives each quote its link once', () => {
    const question = `Qui a dit **@everyone** ${'très '.repeat(80)}?`;
    const [reply] = renderAnswer({ question, answered: true, match: 'answer', mode: 'lexical', model: null, articleLanguages: null, results: [quote('Une phrase.', 0)], pointers: [] }, 'fr');
    const first = reply!.content!.split('\n')[0]!;
    expect(first).toMatch(/^\*\*Qui a dit \\\*\\\*@everyone\\\*\\\* très .*…\*\*$/u);
    expect(first.length).toBeLessThanOrEqual(220);
    const e = reply!.embeds![0]!;
    expect(e.url).toBe('https://example.org/a');
    expect(JSON.stringify(e).split('https://example.org/a')).toHaveLength(2);
  });

  it('the context of a passage is more than its quote: its paragraph with the ones around it', async () => {
    const { renderContext } = await import('../../src/discord/render.js');
    const article = { id: 'a', file: 'a.txt', kind: 'article', title: 'T', date: '2024-04', dateText: null, link: null, paragraphs: [['Avant.'], ['La phrase citée.'], ['Après.']] };
    const passage = { id: 'a#p1', key: 'k', articleId: 'a', file: 'a.txt', position: 1, paragraph: 1, title: 'T', link: null, sentences: ['La phrase citée.'], text: 'La phrase citée.', date: '2024-04', dateText: null };
    const corpus = { articles: [article], passages: [passage], skipped: [], passageById: new Map([[passage.id, passage]]), articleById: new Map([[article.id, article]]), languages: ['fr'] };
    const r = renderContext(passage as never, corpus as never, 'fr');
    expect(r.embeds![0]!.description).toBe('> Avant.\n> \n> La phrase citée.\n> \n> Après.');
  });

  it('escapes Markdown in quotes and shows the date', () => {
    const replies = renderAnswer({ question: 'q', answered: true, match: 'answer', mode: 'lexical', model: null, articleLanguages: null, results: [quote('Un **texte** avec `code` et _souligné_.', 0)], pointers: [] }, 'fr');
    const e = replies[0]!.embeds![0]!;
    expect(e.description).toBe('> Un \\*\\*texte\\*\\* avec \\`code\\` et \\_souligné\\_.');
    expect(e.fields![0]).toMatchObject({ name: 'Date', value: '2024-04' });
    expect(replies[0]!.content).toMatch(/\nD’après les articles :$/u);
  });

  it('never styles related passages as an answer: a heading that says so, another colour, a footer on every quote', () => {
    const results = [quote('Une phrase sur la cérémonie.', 0), quote(longQuote(120), 1)];
    const answer: Answer = { question: 'q', answered: true, match: 'answer', mode: 'lexical', model: null, articleLanguages: null, results, pointers: [] };
    const [a] = renderAnswer(answer, 'en');
    const related = renderAnswer({ ...answer, match: 'related' }, 'en');
    expect(related[0]!.content).toMatch(/\nThe articles do not answer this question\. Closest passages, which do not answer it:$/u);
    const embeds = related.flatMap((r) => r.embeds ?? []);
    expect(embeds.length).toBe(results.length);
    for (const e of embeds) {
      expect(e.color).not.toBe(a!.embeds![0]!.color);
      expect(e.footer?.text).toBe('Closest passage — not an answer');
    }
    expect(a!.embeds![0]!.footer).toBeUndefined();
    related.forEach(withinLimits);
  });

  it('says briefly that the articles do not answer, with pointers', () => {
    const [r] = renderAnswer({ question: 'q', answered: false, match: 'nothing', mode: 'lexical', model: null, articleLanguages: null, results: [], pointers: ['Un titre'] }, 'en');
    expect(r!.content).toMatch(/\nNothing in the articles answers this question\./u);
    expect(r!.content).not.toMatch(/French/u);
    expect(r!.content).toContain('Un titre');
    withinLimits(r!);
  });

  it('says the articles are in another language when the question is not in theirs', () => {
    const [en] = renderAnswer({ question: 'q', answered: false, match: 'nothing', mode: 'hybrid', model: 'm', articleLanguages: ['fr'], results: [], pointers: [] }, 'en');
    expect(en!.content).toMatch(/\nNothing in the articles answers this question\. The articles are in French/u);
    const [fr] = renderAnswer({ question: 'q', answered: false, match: 'nothing', mode: 'hybrid', model: 'm', articleLanguages: ['en'], results: [], pointers: [] }, 'fr');
    expect(fr!.content).toContain('Les articles sont en anglais');
  });
});

describe('renderAbout', () => {
  it('labels publication dates as such and gives the undated items’ stated dates apart', async () => {
    const { renderAbout } = await import('../../src/discord/render.js');
    const info = { articles: 12, passages: 80, dates: { first: '2023-11', last: '2024-09' }, undated: { items: 7, stated: { first: '2017-11', last: '2025-10-24' } }, model: null, mode: 'lexical' as const, builtAt: '2026-12-02T16:43:45.840Z', feeds: [] };
    const fields = renderAbout(info, 'fr').embeds![0]!.fields!;
    expect(fields.find((f) => f.name === 'Dates')!.value).toBe('2023-11 → 2024-09 (publication)\n7 éléments sans date de publication ; leur texte cite 2017-11 → 2025-10-24');
    expect(fields.find((f) => f.name === 'Index construit')!.value).toBe('<t:1796229825:f> (<t:1796229825:R>)');
    expect(fields.find((f) => f.name === 'Recherche')!.value).toBe('lexicale seulement (aucun modèle d’embeddings chargé)');
  });
});
