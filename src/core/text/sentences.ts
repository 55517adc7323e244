/**
 * Sentence splitting for French news text: `Intl.Segmenter` plus fix-ups for the places
 * where it is wrong on this kind of text. Sentences are returned verbatim (trimmed), so a
 * quote built from them is always a substring of its source.
 */

const segmenter = new Intl.Segmenter('fr', { granularity: 'sentence' });

/**
 * Abbreviations after which a period does not end a sentence. Titles come before a name
 * ("M. Le Hoai Trung"), `art.`/`al.`/`n°` before a number or a continuation.
 */
const ABBREVIATIONS = new Set([
  'm', 'mm', 'mme', 'mmes', 'mlle', 'dr', 'pr', 'me', 'mgr', 'st', 'ste', 'art', 'al', 'cf', 'p', 'pp', 'vol', 'no', 'n°', 'env', 'etc', 'av', 'bd', 'gén', 'col', 'lt', 'sgt', 'vs', 'ex', 'fig', 'chap',
]);

/** The segment ends with a known abbreviation or an initial ("V.", "J.-F.") followed by a period. */
function endsWithAbbreviation(segment: string): boolean {
  const match = /(?:^|[\s(«"'’])([\p{L}°.-]+)\.\s*$/u.exec(segment);
  if (!match) return false;
  const word = match[1]!;
  if (/^\p{Lu}$/u.test(word)) return true; // an initial: "V." in "V. Poutine"
  if (/^(?:\p{Lu}\.-?)+\p{Lu}$/u.test(word)) return true; // "J.-F", "U.S"
  return ABBREVIATIONS.has(word.toLowerCase());
}

/** A segment that cannot start a sentence: lowercase, a digit, or punctuation that continues one. */
function continuesSentence(segment: string): boolean {
  return /^[\p{Ll}\d,;:)\]]/u.test(segment);
}

/** Splits a paragraph into verbatim sentences. Whitespace inside the paragraph is kept as given. */
export function splitSentences(paragraph: string): string[] {
  const out: string[] = [];
  for (const { segment } of segmenter.segment(paragraph)) {
    let piece = segment;
    const previous = out.at(-1);
    if (previous !== undefined) {
      // The segmenter puts a closing » at the start of the next sentence; it belongs to the one it closes.
      const closing = /^(\s*»)/u.exec(piece);
      if (closing) {
        const rest = piece.slice(closing[1]!.length);
        if (rest.trim() === '' || continuesSentence(rest.trimStart())) {
          out[out.length - 1] = previous + piece; // "», a-t-il dit." continues the quoted sentence
          continue;
        }
        out[out.length - 1] = previous + closing[1]!;
        piece = rest;
      } else if (endsWithAbbreviation(previous) || continuesSentence(piece.trimStart())) {
        out[out.length - 1] = previous + piece;
        continue;
      }
    }
    if (piece.trim() !== '') out.push(piece);
  }
  return out.map((s) => s.trim()).filter((s) => s !== '');
}
