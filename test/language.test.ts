import { describe, expect, it } from 'vitest';
import { guessLang } from '../src/core/text/language.js';

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
