import { ENGLISH_WORDS_KEPT, FOLLOW_UP_OPENINGS, FOLLOW_UP_OTHER_WORDS, FOLLOW_UP_REFERRING_WORDS, NAME_PARTICLES, PLACE_PREPOSITIONS, QUESTION_FRAME_WORDS, QUESTION_WORDS } from '../lang/index.js';
import { isStopWord, words } from './french.js';
import { parseTimeIntent } from './periods.js';
import { analyzeQuestion } from './question-analysis.js';

/**
 * A question read in the light of the one before it. "Et quand ?" after "Qui a rencontré
 * Patrushev ?" asks when about what the first asked; "et Singapour ?" after a question about
 * Russia asks the same of Singapore; "et en 2024 ?" the same of another period. Nothing is
 * invented: the question understood is made of the words of the two questions, and a question
 * that brings its own names and what it asks about them is a new question.
 */
export interface FollowUp {
  /** The question as understood, the words retrieval searches: the new question's words with the previous one's topic. */
  understood: string;
  /** What the follow-up is about: the previous question, as it was understood. */
  about: string;
  /** "et Singapour ?": the previous question's name (or period) it replaces, and by what; else null. */
  replaced: { from: string; to: string } | null;
  /** "Who else?", "quoi d'autre ?": something other than what was quoted already. */
  other: boolean;
  /** The words that say what is asked: the follow-up's own ("quand"), or the whole question understood when it replaced a name or period. */
  asks: string;
}

const AMBIGUOUS = new Set(ENGLISH_WORDS_KEPT);
const FRAME = new Set([...QUESTION_FRAME_WORDS, ...QUESTION_WORDS]);
const OTHER = new Set(FOLLOW_UP_OTHER_WORDS);
const REFERRING = new Set(FOLLOW_UP_REFERRING_WORDS);
const PARTICLES = new Set(NAME_PARTICLES);
const PREPOSITIONS = new Set(PLACE_PREPOSITIONS);
/** Openings as word lists, longest first, so "et pour ce qui est de" is taken whole before "et". */
const OPENINGS = [...FOLLOW_UP_OPENINGS].map((o) => o.split(' ')).sort((a, b) => b.length - a.length);
/** At most this many content words for a question with no name of its own to be read as a follow-up without an opening or a pronoun ("Pourquoi ?", "Combien de pays ?"). */
const SHORT_QUESTION_WORDS = 2;

const TOKEN = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

interface Token {
  surface: string;
  /** Its words as `words()` reads them (accent-free, lower case, elisions dropped). */
  words: string[];
  start: number;
  end: number;
}

function tokenize(text: string): Token[] {
  return [...text.matchAll(TOKEN)].map((m) => ({ surface: m[0], words: words(m[0]), start: m.index, end: m.index + m[0].length }));
}

/**
 * How `question` follows `previous` (the previous question as understood), or null when it is a
 * question of its own. `isName` says whether the articles write a word as a name, for questions
 * typed in lower case ("et singapour ?").
 */
export function resolveFollowUp(question: string, previous: string | null, isName: (word: string) => boolean = () => false): FollowUp | null {
  if (previous === null || previous.trim() === '') return null;
  const tokens = tokenize(question);
  const opening = openingLength(tokens);
  const rest = tokens.slice(opening);
  if (rest.length === 0 && opening === 0) return null;
  const restText = rest.length > 0 ? question.slice(rest[0]!.start, rest.at(-1)!.end) : '';
  const restWords = rest.flatMap((t) => t.words);
  const other = restWords.some((w) => OTHER.has(w));
  const content = restWords.filter((w) => !isStopWord(w) && !FRAME.has(w) && !OTHER.has(w));

  // "et en 2024 ?", "and in October?": the same question, of another period.
  const time = parseTimeIntent(restText);
  const periodWords = new Set(time.period ? words(time.period.label) : []);
  const timeOnly = time.period !== null && restWords.every((w) => periodWords.has(w) || isStopWord(w) || PREPOSITIONS.has(w));
  if (timeOnly && opening > 0) {
    const before = parseTimeIntent(previous);
    const from = before.period ? before.period.label : '';
    const understood = `${trimQuestion(before.topic)} ${trimQuestion(restText)} ?`;
    return { understood, about: previous, replaced: from ? { from, to: time.period!.label } : null, other, asks: understood };
  }

  // After an opening, the first word of the rest is not the question's first word: a capital there marks a name.
  const capitalised = new Set(rest.filter((t) => /^\p{Lu}/u.test(t.surface)).flatMap((t) => t.words));
  // "to", "an": English words that are also parts of names here ("To Lam"); typed in lower case, not a name.
  const analysis = analyzeQuestion(opening > 0 ? restText : question, (w) => (isName(w) && !AMBIGUOUS.has(w)) || (opening > 0 && capitalised.has(w)));
  if (analysis.anchors.length > 0) {
    // "et Singapour ?", "what about Russia?", "et en Russie ?": an opening, then only a name: the same question about it.
    const named = new Set(analysis.anchors);
    const nameOnly = rest.every((t, i) => t.words.every((w) => named.has(w)) || ((i === 0 || i < rest.length - 1) && (PREPOSITIONS.has(t.words.join(' ')) || PARTICLES.has(t.words.join(' ')))));
    if (opening === 0 || !nameOnly) return null;
    return replaceName(previous, rest, question, isName, other);
  }

  // No name of its own: a follow-up when it opens like one, points back ("il", "cette rencontre", "there"), asks for something else, or is short.
  const refers = restWords.some((w) => REFERRING.has(w));
  if (opening === 0 && !refers && !other && content.length > SHORT_QUESTION_WORDS) return null;
  const understood = `${trimQuestion(restText)} ${topicWords(previous)}`.trim();
  return { understood: `${understood} ?`, about: previous, replaced: null, other, asks: restText };
}

/** How many tokens at the start open a follow-up ("et", "and what about", "et pour ce qui est de"). */
function openingLength(tokens: readonly Token[]): number {
  const flat = tokens.map((t) => t.words.join(' '));
  for (const opening of OPENINGS) {
    if (opening.length <= flat.length && opening.every((w, i) => flat[i] === w)) return opening.length;
  }
  return 0;
}

/** The previous question with one of its names replaced by the new one's: the name after a preposition of place first, else its last name. */
function replaceName(previous: string, rest: readonly Token[], question: string, isName: (word: string) => boolean, other: boolean): FollowUp | null {
  const phrases = namePhrases(previous, isName);
  const newPreposition = rest[0] && rest.length > 1 && PREPOSITIONS.has(rest[0].words.join(' ')) ? rest[0] : null;
  const nameTokens = newPreposition ? rest.slice(1) : rest;
  const name = question.slice(nameTokens[0]!.start, nameTokens.at(-1)!.end);
  if (phrases.length === 0) {
    const understood = `${name} ${topicWords(previous)} ?`;
    return { understood, about: previous, replaced: null, other, asks: understood };
  }
  const target = [...phrases].reverse().find((p) => p.preposition !== null) ?? phrases.at(-1)!;
  // With a preposition of its own ("et en Russie ?"), it replaces the previous one's too.
  const start = newPreposition && target.preposition ? target.preposition.start : target.start;
  const replacement = newPreposition && target.preposition ? `${newPreposition.surface} ${name}` : name;
  const understood = `${previous.slice(0, start)}${replacement}${previous.slice(target.end)}`;
  return { understood, about: previous, replaced: { from: previous.slice(target.start, target.end), to: name }, other, asks: understood };
}

interface NamePhrase {
  start: number;
  end: number;
  /** The preposition of place just before it ("en Russie", "à Singapour"), if any. */
  preposition: Token | null;
}

/** Runs of name words in a question ("Tô Lâm", "Teo Chee Hean", "Convention de Hanoi"), joined by particles. */
function namePhrases(text: string, isName: (word: string) => boolean): NamePhrase[] {
  const tokens = tokenize(text);
  const anchors = new Set(analyzeQuestion(text, isName).anchors);
  const isAnchor = (t: Token): boolean => t.words.length > 0 && t.words.some((w) => anchors.has(w));
  const phrases: NamePhrase[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isAnchor(tokens[i]!)) continue;
    let j = i;
    while (j + 1 < tokens.length && (isAnchor(tokens[j + 1]!) || (j + 2 < tokens.length && PARTICLES.has(tokens[j + 1]!.words.join(' ')) && isAnchor(tokens[j + 2]!)))) j += isAnchor(tokens[j + 1]!) ? 1 : 2;
    const before = tokens[i - 1];
    // "de la Russie": the preposition is before the article.
    const beforeArticle = before && ['la', 'le', 'les', 'l', 'the'].includes(before.words.join(' ')) ? tokens[i - 2] : before;
    const preposition = beforeArticle && PREPOSITIONS.has(beforeArticle.words.join(' ')) ? beforeArticle : null;
    phrases.push({ start: tokens[i]!.start, end: tokens[j]!.end, preposition });
    i = j;
  }
  return phrases;
}

/** A question's words without its question words ("Qui a rencontré Patrushev ?" → "rencontré Patrushev"): what it is about. */
function topicWords(question: string): string {
  const tokens = tokenize(trimQuestion(question)).filter((t) => !t.words.every((w) => FRAME.has(w)));
  const bare = (t: Token): boolean => t.words.every((w) => isStopWord(w) || FRAME.has(w));
  let from = 0;
  let to = tokens.length;
  while (from < to && bare(tokens[from]!)) from++;
  while (to > from && bare(tokens[to - 1]!)) to--;
  return tokens
    .slice(from, to)
    .map((t) => t.surface)
    .join(' ');
}

function trimQuestion(text: string): string {
  return text.replace(/[\s?？!.…]+$/u, '').trim();
}
