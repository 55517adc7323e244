import { describe, expect, it } from 'vitest';
import { articleLanguage, guessLang } from '../src/core/text/language.js';

describe('the language of a question', () => {
  it('is French for a terse French mention whose only function word is the ambiguous "a"', () => {
    expect(guessLang('<@123456789012345678> Ramaphosa a signé quoi à Hanoï ?')).toBe('fr');
    expect(guessLang('Protocole cybersécurité Singapour, signé quand ?')).toBe('fr');
  });

  it('stays English for English questions with a French name in them', () => {
    expect(guessLang('When did Ramaphosa arrive in Hanoï?')).toBe('en');
    expect(guessLang('What did the ministry say about cybersécurité?')).toBe('en');
  });
});

describe('the language of an article', () => {
  it('reads every sentence of every paragraph, not only the first', () => {
    const article = { paragraphs: [['Kyiv, 3 March.'], ['The minister said the talks were over.', 'He was in Geneva when the call came.']] };
    expect(articleLanguage(article)).toBe('en');
    expect(articleLanguage({ paragraphs: [['The talks.'], ['Le ministre a dit que les négociations étaient terminées et que la délégation est partie.']] })).toBe('fr');
  });

  it('is French when nothing tells (ties go to French)', () => {
    expect(articleLanguage({ paragraphs: [] })).toBe('fr');
  });
});
