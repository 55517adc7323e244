import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus, type LoadedCorpus } from '../src/core/text/corpus.js';
import { analyze, buildVocabulary, splitGlued, words } from '../src/core/text/french.js';
import { buildLexicalIndex, type LexicalIndex } from '../src/core/retrieval/lexical/index.js';
import { SEED, SEEDS_DIR } from './helpers/seeds.js';

describe('French analysis', () => {
  const vocabulary = buildVocabulary(['la coopération dans la sécurité, le partenariat, le corps, la sécurité du partenariat']);

  it('lowercases, removes accents and elisions', () => {
    expect(words("L'ONUDC d’accord qu'elle Sécurité")).toEqual(['onudc', 'accord', 'elle', 'securite']);
  });

  it('drops stop words and stems, accent-insensitively', () => {
    expect(analyze('la sécurité', vocabulary)).toEqual(analyze('SECURITE', vocabulary));
    expect(analyze('les conventions signées', vocabulary)).toEqual(analyze('convention signée', vocabulary));
    expect(analyze('le la de des et', vocabulary)).toEqual([]);
  });

  it('splits words glued by a lost line break', () => {
    expect(splitGlued('dansla', vocabulary)).toEqual(['dans', 'la']);
    expect(splitGlued('dupartenariat', vocabulary)).toEqual(['du', 'partenariat']);
    expect(splitGlued('decorps', vocabulary)).toEqual(['de', 'corps']);
    expect(splitGlued('securite', vocabulary)).toBeNull();
    expect(analyze('dupartenariat', vocabulary)).toContain(analyze('partenariat', vocabulary)[0]);
  });

  it('separates letters from digits glued to them, so both spellings give the same terms', () => {
    expect(words("l'APEC2017")).toEqual(['apec', '2017']);
    expect(words('APEC2017')).toEqual(words('APEC 2017'));
    expect(analyze('sommet APEC2017', vocabulary)).toEqual(analyze('sommet APEC 2017', vocabulary));
  });
});

describe('lexical index over the seeds', () => {
  let corpus: LoadedCorpus;
  let index: LexicalIndex;
  beforeAll(async () => {
    corpus = await loadCorpus(SEEDS_DIR);
    index = buildLexicalIndex(corpus.passages);
  });
  const top = (q: string): string => corpus.passageById.get(index.search(q, 1)[0]!.id)!.text;

  it('matches glued source words from their parts', () => {
    expect(top('partenariat stratégique intégral dynamiser')).toMatch(/dupartenariat/u);
    expect(top('général de corps d’armée échanges de délégations')).toMatch(/decorps/u);
  });

  it('matches "APEC 2017" to the seeds\' "APEC2017", and "APEC2017" to a text that spaces it', () => {
    // seeds/002: "…pour assister au sommet de l'APEC2017 en novembre prochain."
    expect(top("sommet de l'APEC 2017")).toContain("l'APEC2017");
    const spaced = buildLexicalIndex([{ ...corpus.passages[0]!, id: 'spaced', text: "Le sommet de l'APEC 2017 aura lieu en novembre." }]);
    expect(spaced.search('APEC2017', 1).map((h) => h.id)).toEqual(['spaced']);
  });

  it('matches without accents and across inflections', () => {
    expect(top('memorandum substance psychotrope')).toContain('psychotropes');
    expect(top('ratifier rapidement la convention entrer en vigueur')).toContain('ratifier rapidement');
  });

  it('forgives a typo in a long word', () => {
    const hits = index.search('protocole cybersecurite singapourien', 3).map((h) => corpus.passageById.get(h.id)!.file);
    expect(hits[0]).toBe(SEED.singapore);
  });

  it('finds nothing for words the corpus does not use', () => {
    expect(index.search('football recette gâteau', 5)).toEqual([]);
  });
});
