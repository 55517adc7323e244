import { FRENCH_MONTHS } from '../lang/index.js';
import type { DateInfo } from '../types.js';

// The articles are French: a date they state is in French words.
const MONTHS = FRENCH_MONTHS;
const MONTH = Object.keys(MONTHS).join('|');

// "le 23 octobre 2025", "du 20 au 22 octobre", "les 23 et 24 octobre 2025", "jeudi 16 novembre", "1er mai".
const DAY_MONTH = new RegExp(
  `(?:\\b(?:le|du|les|au)\\s+)?\\b(\\d{1,2})(?:er)?(?:\\s+(?:au|et)\\s+\\d{1,2}(?:er)?)?\\s+(${MONTH})(?:\\s+(\\d{4}))?\\b`,
  'giu',
);
// "en décembre 2024", "juillet 2023".
const MONTH_YEAR = new RegExp(`(?:\\ben\\s+)?\\b(${MONTH})\\s+(\\d{4})\\b`, 'giu');

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * The date a text states, as written, normalised only as far as the text goes: a day and
 * month without a year give `date: null`, because a year is never guessed. When the text
 * states several, the first one with a year wins ("du 23 octobre … les 23 et 24 octobre 2025").
 */
export function findStatedDate(text: string): DateInfo | null {
  const found: (DateInfo & { index: number })[] = [];
  for (const m of text.matchAll(DAY_MONTH)) {
    const day = Number(m[1]);
    const month = MONTHS[m[2]!.toLowerCase()]!;
    if (day < 1 || day > 31) continue;
    found.push({ index: m.index, date: m[3] ? `${m[3]}-${pad(month)}-${pad(day)}` : null, dateText: m[0].trim() });
  }
  for (const m of text.matchAll(MONTH_YEAR)) {
    if (found.some((f) => f.date !== null && m.index >= f.index && m.index < f.index + f.dateText!.length + 8)) continue;
    found.push({ index: m.index, date: `${m[2]}-${pad(MONTHS[m[1]!.toLowerCase()]!)}`, dateText: m[0].trim() });
  }
  found.sort((a, b) => a.index - b.index);
  const best = found.find((f) => f.date !== null) ?? found[0];
  return best ? { date: best.date, dateText: best.dateText } : null;
}

/** `YYYY-MM` or `YYYY-MM-DD` with a real month (and day), or null. */
export function normaliseIsoDate(value: string): string | null {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const month = Number(m[2]);
  const day = m[3] === undefined ? undefined : Number(m[3]);
  if (month < 1 || month > 12) return null;
  if (day !== undefined && (day < 1 || day > 31)) return null;
  return m[0];
}
