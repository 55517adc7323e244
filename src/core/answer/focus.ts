import type { LexicalIndex } from '../retrieval/index.js';
import { analyzeQuestion, showsKind, statedQuantities, words, type AskedFor } from '../text/index.js';
import type { Passage } from '../types.js';
import { coverage, termWeights, type TermWeight } from './coverage.js';
import type { CoverageCredit, EvidenceWeights, Tuning } from './tuning.js';

/**
 * Telling a sentence that answers from one that is only about the same people and places. A
 * question's anchors (names, places, events) find the topic; its focus (what it asks about
 * them) and the kind of answer it asks for (an amount, a date, a count) decide whether a
 * sentence answers: "Quel est le salaire du ministre ?" is not answered by a sentence about the
 * minister that states no amount.
 */

/** A question split for judging sentences: its anchors' and its focus's terms, and what it asks for. */
export interface QuestionFocus {
  anchors: TermWeight[];
  /** Terms of what is asked about the anchors; empty when the question is only its anchors ("Patrouchev ?"). */
  focus: TermWeight[];
  asked: AskedFor;
  /** The thing counted ("pays"), kept only when the corpus uses the word: otherwise it cannot be looked for. */
  counted: string | null;
  /** Every word of the question (accent-free, lower-case): what an answer must add to. */
  words: ReadonlySet<string>;
  /** Quantities the question (or a claim) states: a sentence that answers or supports it states them too. */
  quantities: string[];
}

const NONE: ReadonlySet<string> = new Set();

/**
 * The question's anchors and focus (text/question-analysis.ts) as weighted index terms. Names
 * are also recognised from the candidate passages, where the articles write them capitalised:
 * a question typed in lower case still has its anchors.
 */
export function questionFocus(topic: string, lexical: LexicalIndex, candidates: readonly Passage[], unknownWordWeight: number, asks?: string): QuestionFocus {
  const names = namesIn(candidates);
  const whole = analyzeQuestion(topic, (w) => names.has(w));
  // A follow-up ("Et quand ?") asks with its own words about the topic it carries over: its anchors are the topic's, what it asks is its own.
  const own = asks === undefined ? whole : analyzeQuestion(asks, (w) => names.has(w));
  const analysis = { anchors: whole.anchors, focus: own.focus, asked: own.asked };
  const anchorTerms = new Set(analysis.anchors.flatMap((w) => lexical.terms(w)));
  const focusTerms = [...new Set(analysis.focus.flatMap((w) => lexical.terms(w)))].filter((t) => !anchorTerms.has(t));
  const { counted } = analysis.asked;
  const countedKnown = counted !== null && lexical.terms(counted).some((t) => lexical.idf(t) > 0);
  return {
    anchors: termWeights([...anchorTerms], lexical, unknownWordWeight),
    focus: termWeights(focusTerms, lexical, unknownWordWeight),
    asked: analysis.asked,
    counted: countedKnown ? counted : null,
    words: new Set(words(topic)),
    quantities: statedQuantities(topic),
  };
}

/**
 * How much of the focus a sentence holds (IDF-weighted: the rare words of what is asked count
 * most), found in its passage at a discount; 1 when the question has no focus. A focus word the
 * corpus never uses weighs as the rarest, so a question about what the articles never mention
 * holds little of it.
 */
export function focusHeld(focus: QuestionFocus, sentence: ReadonlySet<string>, passage: ReadonlySet<string>, tuning: Readonly<Tuning>): number {
  if (focus.focus.length === 0) return 1;
  return coverage(focus.focus, { sentence, passage, article: NONE }, focusCredit(tuning));
}

/** How much of the anchors a sentence holds, or its passage and article at the usual discounts; 1 when the question has none. */
export function anchorsHeld(focus: QuestionFocus, sentence: ReadonlySet<string>, passage: ReadonlySet<string>, article: ReadonlySet<string>, tuning: Readonly<Tuning>): number {
  if (focus.anchors.length === 0) return 1;
  return coverage(focus.anchors, { sentence, passage, article }, tuning.coverageCredit);
}

/** The coverage credits for the focus, one object per tuning: coverage remembers matches per credit table. */
function focusCredit(tuning: Readonly<Tuning>): Readonly<CoverageCredit> {
  let credit = focusCredits.get(tuning);
  if (!credit) focusCredits.set(tuning, (credit = Object.freeze({ ...tuning.coverageCredit, passage: tuning.focus.passageCredit, article: 0 })));
  return credit;
}
const focusCredits = new WeakMap<Readonly<Tuning>, Readonly<CoverageCredit>>();

/**
 * Whether a sentence says what is asked: where the question asks for a kind of answer, it holds
 * one (that the question does not already state); it states the quantities the question states
 * ("trois millions de dollars" is not supported by a sentence without them); and it holds
 * enough of the focus, or means the same strongly enough to be a paraphrase (`meaning` on the
 * model's scale, null without one).
 */
export function saysWhatIsAsked(focus: QuestionFocus, quote: string, passage: Passage, held: number, meaning: number | null, weights: Readonly<EvidenceWeights> | null, otherLanguage: boolean, tuning: Readonly<Tuning>): boolean {
  const { kind } = focus.asked;
  if (kind && !showsKind(quote, kind, focus.counted, focus.words) && !(kind === 'date' && datedElsewhere(passage, focus))) return false;
  if (focus.quantities.length > 0) {
    const own = new Set(words(quote));
    if (!focus.quantities.every((q) => own.has(q))) return false;
  }
  if (held >= (weights && meaning !== null ? tuning.focus.minCoverage : tuning.focus.minLexicalCoverage)) return true;
  // Without a model, a question in another language than the articles' has no way to show its
  // focus (its words are not theirs): what it asks for, checked above, is all there is to go on.
  if (!weights || meaning === null) return otherLanguage;
  return meaning >= weights.focusMeaning;
}

/**
 * For "when": a news sentence often leaves its date to the passage before it or to the
 * article's dateline ("Hanoi, 25 juillet (VNA) – …"), and every quote is shown with its date.
 */
function datedElsewhere(passage: Passage, focus: QuestionFocus): boolean {
  return passage.date !== null || passage.dateText !== null || showsKind(passage.text, 'date', null, focus.words);
}

/** Words the passages write capitalised other than at the start of a sentence: names. */
/** The words the passages write as names (capitalised other than at a sentence's start). */
export function namesIn(passages: readonly Passage[]): ReadonlySet<string> {
  const names = new Set<string>();
  for (const p of passages) for (const w of namesOf(p)) names.add(w);
  return names;
}

const NAME = /(?<=[\p{L}\p{N},;:)»"]\s+(?:\p{Ll}['’])?)\p{Lu}[\p{L}-]*/gu;
/** A passage's names, found once: passages do not change, and the same ones are candidates for many questions. */
const passageNames = new WeakMap<Passage, readonly string[]>();
function namesOf(p: Passage): readonly string[] {
  let names = passageNames.get(p);
  if (!names) {
    const found = new Set<string>();
    for (const s of p.sentences) for (const m of s.matchAll(NAME)) for (const w of words(m[0])) found.add(w);
    passageNames.set(p, (names = [...found]));
  }
  return names;
}
