/**
 * Questions about a generated corpus, the way users ask them: a few words of a sentence that is
 * in it (a name, a place, what happened), sometimes without accents or with a typo, after a
 * question word. Deterministic from a seed.
 */
import { mulberry32 } from '../../../src/lib/mulberry32.js';
import { isStopWord, words } from '../../../src/core/text/french.js';
import type { Passage } from '../../../src/core/types.js';

const OPENINGS = ['Quand', 'Qui', 'Pourquoi', 'Que dit l’article sur', 'Où', 'Comment', ''];

export function generateQuestions(passages: readonly Passage[], count: number, seed: number): string[] {
  const next = mulberry32(seed);
  const out: string[] = [];
  if (passages.length === 0) return out;
  while (out.length < count) {
    const p = passages[Math.floor(next() * passages.length)]!;
    const sentence = p.sentences[Math.floor(next() * p.sentences.length)]!;
    const raw = sentence.split(/\s+/u).filter((w) => {
      const f = words(w)[0];
      return f !== undefined && f.length >= 4 && !isStopWord(f);
    });
    if (raw.length < 3) continue;
    const start = Math.floor(next() * Math.max(1, raw.length - 5));
    let picked = raw.slice(start, start + 3 + Math.floor(next() * 4)).map((w) => w.replace(/[.,;:!?«»()"]/gu, ''));
    if (next() < 0.2) picked = picked.map((w) => w.normalize('NFD').replace(/\p{M}/gu, ''));
    if (next() < 0.2) {
      const i = Math.floor(next() * picked.length);
      const w = picked[i]!;
      if (w.length > 6) picked[i] = w.slice(0, 3) + w.slice(4);
    }
    const opening = OPENINGS[Math.floor(next() * OPENINGS.length)]!;
    out.push(`${opening} ${picked.join(' ')} ?`.trim());
  }
  return out;
}
