/** Follow-ups: a question read in the light of the one before it, made only of the two questions' words. */
import { describe, expect, it } from 'vitest';
import { resolveFollowUp } from '../src/core/text/index.js';
import { Conversations } from '../src/engine/index.js';
import type { Answer } from '../src/core/types.js';

const names = new Set(['singapour', 'russie', 'patrushev', 'lam', 'to', 'hanoi', 'vietnam']);
const isName = (w: string): boolean => names.has(w);

describe('resolveFollowUp', () => {
  it('carries the previous question’s topic into one that has no names of its own', () => {
    const f = resolveFollowUp('Et quand ?', 'Qui a rencontré Patrushev ?', isName);
    expect(f).toMatchObject({ understood: 'quand rencontré Patrushev ?', about: 'Qui a rencontré Patrushev ?', replaced: null, other: false });
    // The previous question word is dropped: "quand", not "qui", says what is asked.
    expect(f!.understood).not.toMatch(/\bqui\b/iu);
  });

  it('reads "Who else?" and "qui d’autre ?" as asking for something not quoted yet', () => {
    expect(resolveFollowUp('Who else was there?', 'Qui a rencontré Patrushev ?', isName)).toMatchObject({ understood: 'Who else was there rencontré Patrushev ?', other: true });
    expect(resolveFollowUp('Et qui d’autre ?', 'Qui a rencontré Patrushev ?', isName)).toMatchObject({ other: true });
  });

  it('asks the same question of another name: "et Singapour ?" replaces one name, with its preposition when it brings one', () => {
    expect(resolveFollowUp('et Singapour ?', 'Quelle coopération le Vietnam a-t-il avec la Russie ?', isName)).toMatchObject({
      understood: 'Quelle coopération le Vietnam a-t-il avec la Singapour ?',
      replaced: { from: 'Russie', to: 'Singapour' },
    });
    expect(resolveFollowUp('et en Russie ?', 'Qui To Lam a-t-il rencontré à Hanoi ?', isName)).toMatchObject({ understood: 'Qui To Lam a-t-il rencontré en Russie ?', replaced: { from: 'Hanoi', to: 'Russie' } });
    // Typed in lower case: a name because the articles write it as one.
    expect(resolveFollowUp('et singapour ?', 'Quelle coopération le Vietnam a-t-il avec la Russie ?', isName)?.replaced).toEqual({ from: 'Russie', to: 'singapour' });
  });

  it('asks the same question of another period: "Et en 2024 ?"', () => {
    expect(resolveFollowUp('Et en 2024 ?', 'Qui a rencontré Patrushev en 2017 ?', isName)).toMatchObject({ understood: 'Qui a rencontré Patrushev en 2024 ?', replaced: { from: 'en 2017', to: 'en 2024' } });
  });

  it('continues a question that points back ("cette rencontre", "he") or is short ("Pourquoi ?")', () => {
    expect(resolveFollowUp('Quand a eu lieu cette rencontre ?', 'Qui a rencontré Patrushev ?', isName)?.understood).toBe('Quand a eu lieu cette rencontre rencontré Patrushev ?');
    expect(resolveFollowUp('What did he say?', 'Qu’a dit Patrushev sur la sécurité ?', isName)?.understood).toBe('What did he say Patrushev sur la sécurité ?');
    expect(resolveFollowUp('Pourquoi ?', 'Qui a rencontré Patrushev ?', isName)?.understood).toBe('Pourquoi rencontré Patrushev ?');
  });

  it('takes a question with its own names and what it asks about them as a new question', () => {
    expect(resolveFollowUp('Qui est Teo Chee Hean ?', 'Qui a rencontré Patrushev ?', isName)).toBeNull();
    expect(resolveFollowUp('Et Poutine, qu’a-t-il dit de la sécurité ?', 'Qu’a dit Patrushev sur la sécurité ?', isName)).toBeNull();
    // A complete question without names, and no opening or pointer back, stands alone too.
    expect(resolveFollowUp('Quel pays est le plus touché par les cyberattaques en Asie ?', 'Qui a rencontré Patrushev ?', isName)).toBeNull();
    expect(resolveFollowUp('Et quand ?', null, isName)).toBeNull();
  });

  it('chains: a follow-up of a follow-up keeps the first question’s topic', () => {
    const second = resolveFollowUp('Et quand ?', 'Qui a rencontré Patrushev ?', isName)!;
    expect(resolveFollowUp('Et où ?', second.understood, isName)?.understood).toBe('où rencontré Patrushev ?');
  });
});

const answer = (question: string, quote: string): Answer => ({
  question,
  answered: true,
  match: 'answer',
  mode: 'lexical',
  model: null,
  results: [{ quote, source: 'a.txt', title: 'T', date: null, dateText: null, link: null, score: 1, passageId: 'a#p0', articleId: 'a', position: 0 }],
  pointers: [],
  articleLanguages: null,
});

describe('Conversations', () => {
  it('keeps the last turns per person and place, each server apart, and forgets them after a silence', async () => {
    const c = new Conversations({ turns: 3, idleMs: 200, conversations: 100 });
    const inA = Conversations.key('111111111111111111', 'chan', 'user');
    const inB = Conversations.key('222222222222222222', 'chan', 'user');
    c.remember(inA, answer('Qui a rencontré Patrushev ?', 'q1'));
    expect(c.previous(inA)?.understood).toBe('Qui a rencontré Patrushev ?');
    // Same channel and user ids in another server: another conversation.
    expect(c.previous(inB)).toBeNull();
    for (const q of ['a ?', 'b ?', 'c ?']) c.remember(inA, answer(q, `quote ${q}`));
    // At most 3 turns: the first one's quote is gone from what "who else" avoids.
    expect(c.previous(inA)?.quotes).toEqual(['quote a ?', 'quote b ?', 'quote c ?']);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.previous(inA)).toBeNull();
  });

  it('holds at most its limit of conversations', () => {
    const c = new Conversations({ turns: 3, idleMs: 60_000, conversations: 2 });
    for (const u of ['1', '2', '3']) c.remember(Conversations.key(null, 'c', u), answer('q ?', 'x'));
    expect(c.size).toBe(2);
    expect(c.previous(Conversations.key(null, 'c', '1'))).toBeNull();
  });
});

describe('Discord conversations', () => {
  it('continues a reply to one of the bot’s answers only in the server that answer was given in', async () => {
    const { createConversations } = await import('../src/discord/conversations.js');
    const c = createConversations(60_000);
    const a = { server: '111111111111111111', channel: 'chan', user: 'u1' };
    c.remember(a, answer('Qui a rencontré Patrushev ?', 'q1'), ['999999999999999991']);
    // Anyone in server A replying to that answer continues it.
    expect(c.previous({ ...a, user: 'u2' }, '999999999999999991')?.understood).toBe('Qui a rencontré Patrushev ?');
    // The same message id named from server B (forged) continues nothing.
    expect(c.previous({ server: '222222222222222222', channel: 'chan', user: 'u1' }, '999999999999999991')).toBeNull();
    // A mention right after, by the same person in the same channel, continues their last turn; another channel does not.
    expect(c.previous(a, null)?.understood).toBe('Qui a rencontré Patrushev ?');
    expect(c.previous({ ...a, channel: 'other' }, null)).toBeNull();
  });
});
