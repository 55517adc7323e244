import type { DateInfo } from '../types.js';

export type Lang = 'fr' | 'en';

const WORDING = {
  en: { none: 'date not stated', noYear: 'year not stated' },
  fr: { none: 'date non précisée', noYear: 'année non précisée' },
} as const;

/** How a quote's date reads: the normalised date, what the source says, or that it says nothing. */
export function dateLabel(d: DateInfo, lang: Lang = 'en'): string {
  const w = WORDING[lang];
  if (d.date && d.dateText) return `${d.date} (« ${d.dateText} »)`;
  if (d.date) return d.date;
  if (d.dateText) return `« ${d.dateText} » (${w.noYear})`;
  return w.none;
}
