import { describe, expect, it } from 'vitest';
import { analyzeQuestion, askedFor, showsKind, statedQuantities } from '../src/core/text/index.js';

describe('askedFor: the kind of answer a question states it wants', () => {
  it.each([
    ['Quel est le salaire du ministre de la Sécurité publique ?', 'money'],
    ['Combien a coûté la cérémonie ?', 'money'],
    ['How much did the summit cost?', 'money'],
    ['Combien de temps a duré la visite ?', 'duration'],
    ['how long was the visit', 'duration'],
    ['Combien de pays ont signé ?', 'number'],
    ['cb de pays ont signé', 'number'],
    ['How many people were arrested?', 'number'],
    ['Quel âge a Cyril Ramaphosa ?', 'number'],
    ['Quand To Lam a-t-il rencontré Patrouchev ?', 'date'],
    ['c etait quand la visite', 'date'],
    ['What year was the convention adopted?', 'date'],
    ['Qui a reçu les chefs de délégation ?', 'person'],
    ['Et qui a signé ?', 'person'],
    ["What's the name of To Lam's wife?", 'person'],
    ['Où se trouve le siège de l’ONUDC ?', 'place'],
    ['il est né où', 'place'],
    ['Which city is hosting APEC 2017?', 'place'],
  ])('%s → %s', (q, kind) => {
    expect(askedFor(q).kind).toBe(kind);
  });

  it('states none for questions that ask for an explanation or a statement', () => {
    for (const q of ['Pourquoi le Vietnam a-t-il signé ?', 'Qu’a dit Vladimir Poutine ?', 'What did Putin say about terrorism?', 'le pays qui a signé en premier a-t-il ratifié ?']) {
      expect(askedFor(q).kind, q).toBeNull();
    }
  });

  it('names what a count counts, in the articles’ French for an English question', () => {
    expect(askedFor('Combien de pays ont participé ?').counted).toBe('pays');
    expect(askedFor('How many countries took part?').counted).toBe('pays');
    expect(askedFor('Combien a coûté la cérémonie ?').counted).toBeNull();
  });
});

describe('showsKind: whether a sentence holds an answer of that kind', () => {
  it('money needs an amount with a currency', () => {
    expect(showsKind('Le budget atteint 2 milliards de dollars.', 'money')).toBe(true);
    expect(showsKind('Le coût est de 500 000 USD.', 'money')).toBe(true);
    expect(showsKind('La cérémonie a été bien organisée le 25 octobre 2025.', 'money')).toBe(false);
  });

  it('a number is a quantity, not a date, a year or an ordinal', () => {
    expect(showsKind('Des représentants de 72 pays étaient présents.', 'number')).toBe(true);
    expect(showsKind('Le Vietnam est l’un des trois pays les plus touchés.', 'number')).toBe(true);
    expect(showsKind('Signé le 17 octobre 2022 lors de la 12e Rencontre.', 'number')).toBe(false);
  });

  it('a count must count the thing asked about', () => {
    expect(showsKind('Des représentants de 72 pays étaient présents.', 'number', 'pays')).toBe(true);
    expect(showsKind('Il a rencontré 3 ministres venus de plusieurs pays.', 'number', 'pays')).toBe(false);
  });

  it('a number the question states is not its answer', () => {
    const asked = new Set(['combien', 'de', 'pays', 'a', 'la', '12', 'e', 'rencontre']);
    expect(showsKind('La 12e Rencontre a réuni 12 délégations.', 'number', null, asked)).toBe(false);
  });

  it('a duration needs a unit of time', () => {
    expect(showsKind('La visite officielle de trois jours a commencé.', 'duration')).toBe(true);
    expect(showsKind('Trois pays ont signé.', 'duration')).toBe(false);
  });

  it('a date is a calendar date, a month, a year or a time word', () => {
    expect(showsKind('Le 23 avril, le ministre a rencontré Patrouchev.', 'date')).toBe(true);
    expect(showsKind('Les navires sont attendus dès le mois prochain.', 'date')).toBe(true);
    expect(showsKind('Le ministre a rencontré Patrouchev.', 'date')).toBe(false);
  });

  it('a person or a place is a name other than those the question says', () => {
    const asked = new Set(['ou', 'est', 'ne', 'luong', 'tam', 'quang']);
    expect(showsKind('Le ministre Luong Tam Quang s’est entretenu avec lui.', 'place', null, asked)).toBe(false);
    expect(showsKind('Le ministre Luong Tam Quang est arrivé à Moscou.', 'place', null, asked)).toBe(true);
  });
});

describe('analyzeQuestion: anchors and focus', () => {
  it('anchors are the names; the focus is what is asked about them', () => {
    const a = analyzeQuestion('Quel est le salaire du ministre Tô Lâm ?');
    expect(a.anchors).toEqual(['to', 'lam']);
    expect(a.focus).toEqual(['salaire', 'ministre']);
    expect(a.asked.kind).toBe('money');
  });

  it('sees names behind an elided article and in acronyms and numbers', () => {
    const a = analyzeQuestion("Est-ce qu'il y a eu une consultation entre l'ASEAN et la Russie en 2024 ?");
    expect(a.anchors).toEqual(expect.arrayContaining(['asean', 'russie', '2024']));
    expect(a.focus).toContain('consultation');
    expect(a.focus).not.toContain('asean');
  });

  it('leaves question words and verbs of asking out of the focus, in both languages', () => {
    expect(analyzeQuestion('When did To Lam visit Finland?').focus).toEqual(['visit']);
    expect(analyzeQuestion('Qu’a dit Vladimir Poutine dans son message vidéo ?').focus).toEqual(['message', 'video']);
  });

  it('takes names the articles write capitalised from a question typed in lower case', () => {
    const names = new Set(['luong', 'tam', 'quang', 'brics']);
    const a = analyzeQuestion('luong tam quang veut cooperer avec les brics pour faire quoi', (w) => names.has(w));
    expect(a.anchors).toEqual(['luong', 'tam', 'quang', 'brics']);
    expect(a.focus).toEqual(['veut', 'cooperer']);
  });

  it('has no focus for a question that is only its anchors', () => {
    expect(analyzeQuestion('Que disent Tô Lâm et Patrouchev ?').focus).toEqual([]);
    // A first word is capitalised anyway: the articles say whether it is a name.
    expect(analyzeQuestion('Patrouchev ?').focus).toEqual(['patrouchev']);
    expect(analyzeQuestion('Patrouchev ?', (w) => w === 'patrouchev').focus).toEqual([]);
  });
});

describe('statedQuantities: what a claim or a question states in numbers', () => {
  it('keeps quantities, not years, days of a month or ordinals', () => {
    expect(statedQuantities('La cérémonie a coûté trois millions de dollars.')).toEqual(['trois', 'millions']);
    expect(statedQuantities('72 pays ont signé le 25 octobre 2025 lors de la 12e Rencontre.')).toEqual(['72']);
    expect(statedQuantities('Qui a signé ?')).toEqual([]);
  });
});

describe('isHelpRequest', () => {
  it('knows "help", "aide", "?" and their casual forms, not questions that mention help', async () => {
    const { isHelpRequest } = await import('../src/core/text/index.js');
    for (const q of ['help', 'Help!', 'aide', 'Aide ?', '?', ' ?? ', 'comment ça marche ?', 'What can you do?', 'aidez-moi', 'que sais-tu faire ?']) expect(isHelpRequest(q), q).toBe(true);
    for (const q of ['Quelle aide le Vietnam a-t-il reçue ?', 'help for cybercrime victims?', 'Qui a rencontré Patrushev ?']) expect(isHelpRequest(q), q).toBe(false);
  });
});
