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
  it('keeps every message within Discord limits for very long quotes', () => {
    const answer: Answer = { question: 'q', answered: true, match: 'answer', mode: 'lexical', model: null, articleLanguages: null, results: [0, 1, 2].map((i) => quote(longQuote(120), i)), pointers: [] };
    const replies = renderAnswer(answer, 'en');
    expect(replies.length).toBeGreaterThan(1);
    replies.forEach(withinLimits);
    // Nothing lost: the quoted text, put back together, is the quote.
    const text = replies.flatMap((r) => r.embeds ?? []).map((e) => e.description!.replace(/^> /gmu, '')).join(' ');
    for (const r of answer.results) expect(text).toContain(r.quote.slice(0, 500));
    // Context buttons come once, on the last message.
    expect(replies.filter((r) => r.components).length).toBe(1);
  });

  it('escapes Markdown in quotes and shows the date', () => {
    const replies = renderAnswer({ question: 'q', answered: true, match: 'answer', mode: 'lexical', model: null, articleLanguages: null, results: [quote('Un **texte** avec `code` et _souligné_.', 0)], pointers: [] }, 'fr');
    const e = replies[0]!.embeds![0]!;
    expect(e.description).toBe('> Un \\*\\*texte\\*\\* avec \\`code\\` et \\_souligné\\_.');
    expect(e.fields![0]).toMatchObject({ name: 'Date', value: '2024-04' });
    expect(replies[0]!.content).toBe('D’après les articles :');
  });

  it('never styles related passages as an answer: a heading that says so, another colour, a footer on every quote', () => {
    const results = [quote('Une phrase sur la cérémonie.', 0), quote(longQuote(120), 1)];
    const answer: Answer = { question: 'q', answered: true, match: 'answer', mode: 'lexical', model: null, articleLanguages: null, results, pointers: [] };
    const [a] = renderAnswer(answer, 'en');
    const related = renderAnswer({ ...answer, match: 'related' }, 'en');
    expect(related[0]!.content).toBe('The articles do not answer this question. Closest passages, which do not answer it:');
    const embeds = related.flatMap((r) => r.embeds ?? []);
    expect(embeds.length).toBeGreaterThan(2);
    for (const e of embeds) {
      expect(e.color).not.toBe(a!.embeds![0]!.color);
      expect(e.footer?.text).toBe('Closest passage — not an answer');
    }
    expect(a!.embeds![0]!.footer).toBeUndefined();
    related.forEach(withinLimits);
  });

  it('says briefly that the articles do not answer, with pointers', () => {
    const [r] = renderAnswer({ question: 'q', answered: false, match: 'nothing', mode: 'lexical', model: null, articleLanguages: null, results: [], pointers: ['Un titre'] }, 'en');
    expect(r!.content).toMatch(/^Nothing in the articles answers this question\./u);
    expect(r!.content).not.toMatch(/French/u);
    expect(r!.content).toContain('Un titre');
    withinLimits(r!);
  });

  it('says the articles are in another language when the question is not in theirs', () => {
    const [en] = renderAnswer({ question: 'q', answered: false, match: 'nothing', mode: 'hybrid', model: 'm', articleLanguages: ['fr'], results: [], pointers: [] }, 'en');
    expect(en!.content).toMatch(/^Nothing in the articles answers this question\. The articles are in French/u);
    const [fr] = renderAnswer({ question: 'q', answered: false, match: 'nothing', mode: 'hybrid', model: 'm', articleLanguages: ['en'], results: [], pointers: [] }, 'fr');
    expect(fr!.content).toContain('Les articles sont en anglais');
  });
});
