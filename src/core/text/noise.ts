/**
 * What in a news page is not article text: photo captions and credits, comment counters,
 * agency sign-offs, bracketed links to other articles. Kept out of passages and retrieval.
 */

import { AGENCY_SIGN_OFFS } from '../lang/index.js';

const AGENCY = AGENCY_SIGN_OFFS.join('|');
/** A caption ends with a photo credit: "… Photo : VNA", "Photo: VNA", "Photo . VNA", "Photo : Lam Khanh/VNA". */
const CAPTION = /\bPhotos?\s*[:.]\s*[\p{L} .'’/-]{1,40}$/u;
/** A line that is only a credit, counter or sign-off. */
const BOILERPLATE = new RegExp(`^(?:Photos?\\s*[:.]\\s*.{0,40}|Comment\\s*\\(\\d+\\)|[-–—]?\\s*(?:${AGENCY})(?:\\/[\\p{L}]+)*|Voir plus)$`, 'u');
/** A related-article link such as "[Le Vietnam et la Russie vont dynamiser …]". */
const BRACKETED_LINK = /^\[[^\]]+\]$/;
/** The agency sign-off glued to a last sentence: "…dans cette ville russe.-VNA/VI", "… big data. – VNA". */
const SIGN_OFF = new RegExp(`\\s*[-–—]\\s*(?:${AGENCY})(?:\\/[\\p{L}]+)*\\s*$`, 'u');

/** True for a paragraph that is never article text. */
export function isNoiseParagraph(paragraph: string): boolean {
  return CAPTION.test(paragraph) || BOILERPLATE.test(paragraph) || BRACKETED_LINK.test(paragraph);
}

/**
 * Cuts a trailing agency sign-off from a sentence. Only the end is cut, so the result is
 * still a verbatim substring of the source.
 */
export function stripSignOff(sentence: string): string {
  return sentence.replace(SIGN_OFF, '').trimEnd();
}

/** `Source : https://…` gives the article's link. */
export function readSourceLink(paragraph: string): string | null {
  const m = /^Source\s*:\s*(https?:\/\/\S+)\s*$/iu.exec(paragraph);
  return m ? m[1]! : null;
}
