import {
  ANSWER_KIND_PHRASES,
  CURRENCY_SIGNS,
  CURRENCY_WORDS,
  DURATION_UNITS,
  ENGLISH_COUNTED_NOUNS,
  ENGLISH_MONTHS,
  FRENCH_MONTHS,
  LEADING_WORDS,
  NUMBER_WORDS,
  PERSON_ROLES,
  RELATIVE_TIME_WORDS,
  type AnswerKind,
} from '../lang/index.js';
import { findStatedDate } from './dates.js';
import { stemAccentFree, words } from './french.js';

export type { AnswerKind };

const NUMBER_WORD = new Set(NUMBER_WORDS);
const CURRENCY = new Set(CURRENCY_WORDS);
const DURATION = new Set(DURATION_UNITS);
const RELATIVE_TIME = new Set(RELATIVE_TIME_WORDS);
const ROLE = new Set(PERSON_ROLES);
const MONTH = new Set([...Object.keys(FRENCH_MONTHS), ...Object.keys(ENGLISH_MONTHS)].map((m) => m.normalize('NFD').replace(/\p{M}/gu, '')));
/** Letters that make a number an ordinal once `words()` has split them off ("12e", "1er", "3rd"). */
const ORDINAL_SUFFIX = new Set(['e', 'er', 'eme', 'ere', 'st', 'nd', 'rd', 'th']);
const YEAR = /^(?:1[89]|20)\d\d$/u;
const DIGITS = /^\d+$/u;
/** After "combien de" / "how many": the thing counted is the next word. */
const COUNTED_AFTER = [['combien', 'de'], ['cb', 'de'], ['nombre', 'de'], ['how', 'many'], ['number', 'of']] as const;

/** The phrases as they are looked for: ` word word ` in the question's words joined, leading ones as word lists. */
const PHRASES = ANSWER_KIND_PHRASES.map(({ kind, anywhere, leading }) => ({ kind, anywhere: anywhere.map((p) => ` ${p} `), leading: leading.map((p) => p.split(' ')) }));

/** What a question asks for: the kind of answer it states, and for a count, the thing counted. */
export interface AskedFor {
  kind: AnswerKind | null;
  /** The word after "combien de" / "how many" ("pays"; an English one in the articles' French: "countries" → "pays"), when the question counts something. */
  counted: string | null;
}

/** The kind of answer a question states it wants ("combien a coûté" → money), from lang/answer-types.ts. */
export function askedFor(question: string): AskedFor {
  const w = words(question);
  const text = ` ${w.join(' ')} `;
  let kind: AnswerKind | null = null;
  for (const { kind: k, anywhere, leading } of PHRASES) {
    if (anywhere.some((p) => text.includes(p)) || leading.some((p) => startsWithin(w, p, LEADING_WORDS) || endsWith(w, p))) {
      kind = k;
      break;
    }
  }
  let counted: string | null = null;
  if (kind === 'number') {
    for (let i = 0; i + 2 < w.length && counted === null; i++) {
      if (COUNTED_AFTER.some(([a, b]) => w[i] === a && w[i + 1] === b)) counted = ENGLISH_COUNTED_NOUNS[w[i + 2]!] ?? w[i + 2]!;
    }
  }
  return { kind, counted };
}

/** True when the words end with `phrase`. */
function endsWith(w: readonly string[], phrase: readonly string[]): boolean {
  return w.length >= phrase.length && phrase.every((p, j) => w[w.length - phrase.length + j] === p);
}

/** True when `phrase` starts at one of the first `within` words. */
function startsWithin(w: readonly string[], phrase: readonly string[], within: number): boolean {
  for (let i = 0; i < Math.min(within, w.length); i++) if (phrase.every((p, j) => w[i + j] === p)) return true;
  return false;
}

/**
 * True when `sentence` holds an answer of `kind`: an amount for money, a number with a unit of
 * time for a duration, a quantity (not a date, a year or an ordinal) for a number, a date or a
 * time word for a date, a name or a role for a person, a name for a place. With `counted`
 * ("pays"), the quantity must count it ("72 pays"). Names and numbers in `asked` (the question's
 * own words) do not count: an answer brings something the question does not say. Only the
 * surface is read: a sentence that holds an amount may still be about another amount, but one
 * that holds none cannot state it.
 */
export function showsKind(sentence: string, kind: AnswerKind, counted: string | null = null, asked: ReadonlySet<string> = NONE): boolean {
  switch (kind) {
    case 'date':
      return statesDate(sentence) || words(sentence).some((x) => !asked.has(x) && (MONTH.has(x) || YEAR.test(x) || RELATIVE_TIME.has(x)));
    case 'person':
      return hasNewName(sentence, asked) || words(sentence).some((x) => ROLE.has(x) && !asked.has(x));
    case 'place':
      return hasNewName(sentence, asked);
    default:
      break;
  }
  const w = words(sentence);
  // A number the question states is not its answer ("la 12e Rencontre", "en 2023").
  const quantities = quantityPositions(w).filter((i) => !asked.has(w[i]!));
  if (quantities.length === 0 && !CURRENCY_SIGNS.some((s) => sentence.includes(s))) return false;
  if (kind === 'money') return CURRENCY_SIGNS.some((s) => sentence.includes(s)) || quantities.some((i) => w.slice(i + 1, i + 5).some((x) => CURRENCY.has(x)));
  if (kind === 'duration') return quantities.some((i) => w.slice(i + 1, i + 4).some((x) => DURATION.has(x)));
  if (counted === null) return quantities.length > 0;
  const root = stemOf(counted);
  return quantities.some((i) => w.slice(i + 1, i + 5).some((x) => stemOf(x) === root));
}

/**
 * The quantities a text states itself ("trois millions de dollars", "72 pays"): digits that are
 * not a year, a day of a month or an ordinal, and number words. A sentence that answers a
 * question, or supports a claim, that states one states it too.
 */
export function statedQuantities(text: string): string[] {
  const w = words(text);
  return [...new Set(quantityPositions(w).map((i) => w[i]!))];
}

/** Positions of the words that state a quantity: digits (not a year, a day of a month or an ordinal) and number words. */
function quantityPositions(w: readonly string[]): number[] {
  const out: number[] = [];
  w.forEach((x, i) => {
    if (NUMBER_WORD.has(x)) return void out.push(i);
    if (!DIGITS.test(x) || YEAR.test(x)) return;
    const next = w[i + 1];
    if (next !== undefined && (MONTH.has(next) || ORDINAL_SUFFIX.has(next))) return;
    // A number glued to digits before it ("500 000") is the same quantity: its first part stands for it.
    if (i > 0 && DIGITS.test(w[i - 1]!)) return;
    out.push(i);
  });
  return out;
}

const NONE: ReadonlySet<string> = new Set();

/** Stems, remembered: the words after a count are stemmed for every candidate sentence. */
function stemOf(word: string): string {
  let stem = stems.get(word);
  if (stem === undefined) {
    stem = stemAccentFree(word);
    if (stems.size >= 50_000) stems.clear();
    stems.set(word, stem);
  }
  return stem;
}
const stems = new Map<string, string>();

/**
 * Whether a text states a calendar date, remembered per text: the same corpus sentences and
 * passages are judged for question after question, and the date patterns are the costly part.
 */
function statesDate(text: string): boolean {
  let found = datedTexts.get(text);
  if (found === undefined) {
    found = findStatedDate(text) !== null;
    if (datedTexts.size >= 50_000) datedTexts.clear();
    datedTexts.set(text, found);
  }
  return found;
}
const datedTexts = new Map<string, boolean>();
const NAME = /(?<=[^.!?\s]\s+(?:\p{Ll}['’])?)\p{Lu}[\p{L}-]*|\b\p{Lu}{2,}\b/gu;

/**
 * A name, in news prose (a capitalised word that does not open the sentence, or an acronym),
 * other than those the question already says: "Où est né Luong Tam Quang ?" is not answered by
 * a sentence whose only name is his.
 */
function hasNewName(sentence: string, asked: ReadonlySet<string>): boolean {
  for (const m of sentence.matchAll(NAME)) if (words(m[0]).some((x) => !asked.has(x) && !MONTH.has(x))) return true;
  return false;
}
