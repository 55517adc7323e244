import { QUESTION_FRAME_WORDS } from '../lang/index.js';
import { askedFor, type AskedFor } from './answer-type.js';
import { isStopWord, words } from './french.js';

const FRAME = new Set(QUESTION_FRAME_WORDS);

/**
 * What a question is about and what it asks about it. "Quel est le salaire du ministre Tô Lâm ?"
 * has the anchors "to", "lam" (they locate the topic: people, places, events, numbers) and the
 * focus "salaire", "ministre" (what is asked about them), and asks for an amount of money. A
 * sentence that holds the anchors and not the focus is about the topic without answering.
 */
export interface QuestionAnalysis {
  asked: AskedFor;
  /** Accent-free, lower-case words that locate the topic: names, acronyms, numbers. */
  anchors: string[];
  /** The other content words: what is asked about the anchors. */
  focus: string[];
}

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/**
 * Splits a question's content words (stop and question words dropped) into anchors and focus.
 * A word is an anchor when the question writes it capitalised other than as its first word,
 * writes it in capitals or with digits, or when `isName` says the articles write it as a name
 * (so "luong tam quang a parlé de…", typed in lower case, still has its anchors).
 */
export function analyzeQuestion(question: string, isName: (word: string) => boolean = () => false): QuestionAnalysis {
  const anchors = new Set<string>();
  const focus = new Set<string>();
  let first = true;
  for (const m of question.matchAll(TOKEN)) {
    // "l'ASEAN", "d'État": the elided article does not hide the name after it.
    for (const part of m[0].split(/['’]/u)) {
      const capitalised = /^\p{Lu}/u.test(part) && !first;
      const acronym = part.length >= 2 && /^[\p{Lu}\p{N}]+$/u.test(part) && /\p{Lu}/u.test(part);
      const numeric = /\p{N}/u.test(part);
      for (const w of words(part)) {
        if (isStopWord(w) || FRAME.has(w)) continue;
        if (capitalised || acronym || numeric || isName(w)) anchors.add(w);
        else focus.add(w);
      }
    }
    first = false;
  }
  for (const a of anchors) focus.delete(a);
  return { asked: askedFor(question), anchors: [...anchors], focus: [...focus] };
}
