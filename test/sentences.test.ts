import { describe, expect, it } from 'vitest';
import { splitSentences } from '../src/core/text/sentences.js';

describe('splitSentences', () => {
  it('splits ordinary sentences', () => {
    expect(splitSentences('Le ministre est arrivé. Il a parlé. Fin !')).toEqual([
      'Le ministre est arrivé.',
      'Il a parlé.',
      'Fin !',
    ]);
  });

  it('does not split after M., Mme, Dr. or Pr.', () => {
    expect(splitSentences('M. Le Hoai Trung est ministre. Il parle.')).toEqual(['M. Le Hoai Trung est ministre.', 'Il parle.']);
    expect(splitSentences('Mme. Waly a parlé. Mme Ghada Waly aussi.')).toEqual(['Mme. Waly a parlé.', 'Mme Ghada Waly aussi.']);
    expect(splitSentences('Le Dr. Smith est venu. Le Pr. Dupont aussi.')).toEqual(['Le Dr. Smith est venu.', 'Le Pr. Dupont aussi.']);
  });

  it('does not split after initials', () => {
    expect(splitSentences('Le président russe V. Poutine est venu. Il a parlé.')).toEqual([
      'Le président russe V. Poutine est venu.',
      'Il a parlé.',
    ]);
    expect(splitSentences('J. F. Kennedy est mort. Fin.')).toEqual(['J. F. Kennedy est mort.', 'Fin.']);
  });

  it('does not split after art. before a number', () => {
    expect(splitSentences("Selon l'art. 3 de la Convention, les États coopèrent. Fin.")).toEqual([
      "Selon l'art. 3 de la Convention, les États coopèrent.",
      'Fin.',
    ]);
    expect(splitSentences('Voir art. 12. Puis art. 3 et suivants.')).toEqual(['Voir art. 12.', 'Puis art. 3 et suivants.']);
  });

  it('keeps a closing » with its sentence', () => {
    expect(splitSentences('Il a dit : « Nous coopérerons. » Puis il est parti.')).toEqual([
      'Il a dit : « Nous coopérerons. »',
      'Puis il est parti.',
    ]);
    expect(splitSentences('« Nous coopérerons. », a-t-il dit. Fin.')).toEqual(['« Nous coopérerons. », a-t-il dit.', 'Fin.']);
  });

  it('returns sentences that are verbatim substrings of the paragraph', () => {
    const paragraph =
      'Le général decorps d’armée Tô Lâm a souligné que les relations se développent, dont la visite du président russe  V. Poutine pour assister au sommet de l\'APEC2017 en novembre prochain. La relation decoopération s\'est développée.';
    const sentences = splitSentences(paragraph);
    expect(sentences).toHaveLength(2);
    for (const s of sentences) expect(paragraph).toContain(s);
  });
});
