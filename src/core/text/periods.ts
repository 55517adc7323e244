import { ENGLISH_MONTH_ABBREVIATIONS, ENGLISH_MONTHS, FRENCH_MONTHS } from '../lang/index.js';

/**
 * Questions narrowed by time, in plain French or English: "en septembre 2024", "in October 2025",
 * "en 2024", "la semaine dernière", "last month", "hier"… keep only passages of that period (by
 * publication date, or a date the passage states); "dernières", "latest", "récemment" favour the
 * newest articles. Relative periods are computed from today's date. Narrowing itself is
 * retrieval's (retrieval/time-filter.ts).
 */

export interface Period {
  /** First and last day, inclusive (`YYYY-MM-DD`). */
  from: string;
  to: string;
  /** The words of the question that set it ("en septembre 2024"). */
  label: string;
}

export interface TimeIntent {
  period: Period | null;
  /** The question asks for the newest ("dernières", "latest", "récemment"). */
  latest: boolean;
  /**
   * The question without its time words: what it is about, for retrieval and coverage ("en
   * septembre 2024" is not a word the answer must contain). The whole question when nothing is left.
   */
  topic: string;
}

const MONTHS: Readonly<Record<string, number>> = { ...FRENCH_MONTHS, ...ENGLISH_MONTHS, ...ENGLISH_MONTH_ABBREVIATIONS };
const MONTH = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');
const MONTH_YEAR = new RegExp(`\\b(?:(?:en|in|during|pendant|au mois d['’]|au mois de)\\s+)?(${MONTH})\\.?\\s+(\\d{4})\\b`, 'iu');
const YEAR = /\b(?:en|in|during|pendant)\s+((?:19|20)\d{2})\b(?!\s*[-–/]\d)/iu;
const DAY_MONTH_YEAR = new RegExp(`\\b(\\d{1,2})(?:er)?\\s+(${MONTH})\\.?\\s+(\\d{4})\\b|\\b(${MONTH})\\.?\\s+(\\d{1,2}),?\\s+(\\d{4})\\b`, 'giu');
const MONTH_YEAR_ALL = new RegExp(`\\b(${MONTH})\\.?\\s+(\\d{4})\\b`, 'giu');
/** A full date anywhere in a question (then a month and year in it is not a month's period). */
const HAS_DAY_MONTH_YEAR = new RegExp(DAY_MONTH_YEAR.source, 'iu');

type Relative = { re: RegExp; period: (today: Date) => [Date, Date] };
const RELATIVE: Relative[] = [
  { re: /\b(?:la semaine (?:dernière|derniere|passée|passee)|last week|the previous week)\b/iu, period: (d) => { const monday = startOfWeek(d); return [addDays(monday, -7), addDays(monday, -1)]; } },
  { re: /\b(?:cette semaine|this week)\b/iu, period: (d) => [startOfWeek(d), d] },
  { re: /\b(?:le mois (?:dernier|passé|passe)|last month|the previous month)\b/iu, period: (d) => [new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)), new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 0))] },
  { re: /\b(?:ce mois-ci|ce mois ci|this month)\b/iu, period: (d) => [new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)), d] },
  { re: /\b(?:l['’]année (?:dernière|derniere|passée|passee)|l['’]an (?:dernier|passé|passe)|last year)\b/iu, period: (d) => [new Date(Date.UTC(d.getUTCFullYear() - 1, 0, 1)), new Date(Date.UTC(d.getUTCFullYear() - 1, 11, 31))] },
  { re: /\b(?:cette année|this year)\b/iu, period: (d) => [new Date(Date.UTC(d.getUTCFullYear(), 0, 1)), d] },
  { re: /\b(?:avant-hier|the day before yesterday)\b/iu, period: (d) => [addDays(d, -2), addDays(d, -2)] },
  { re: /\b(?:hier|yesterday)\b/iu, period: (d) => [addDays(d, -1), addDays(d, -1)] },
  { re: /\b(?:aujourd['’]hui|today)\b/iu, period: (d) => [d, d] },
];
const LATEST = /\b(?:derni(?:er|ère|ere)s?(?!\s+cri)|latest|most recent|newest|récemment|recemment|recently|récente?s?|recente?s?|recent|last)\b/iu;
const LATEST_ALL = new RegExp(LATEST.source, 'giu');

const pad = (n: number): string => String(n).padStart(2, '0');
const iso = (d: Date): string => d.toISOString().slice(0, 10);
const addDays = (d: Date, n: number): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + n));
const startOfWeek = (d: Date): Date => addDays(d, -((d.getUTCDay() + 6) % 7));
const lastDay = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** What a question asks of time; `today` is the local calendar day. */
export function parseTimeIntent(question: string, today: Date = new Date()): TimeIntent {
  const day = new Date(Date.UTC(today.getFullYear(), today.getMonth(), today.getDate()));
  let rest = question;
  let period: Period | null = null;
  const monthYear = MONTH_YEAR.exec(question);
  if (monthYear && !HAS_DAY_MONTH_YEAR.test(question)) {
    const [y, m] = [Number(monthYear[2]), MONTHS[monthYear[1]!.toLowerCase()]!];
    period = { from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(lastDay(y, m))}`, label: monthYear[0].trim() };
    rest = rest.replace(monthYear[0], ' ');
  }
  if (!period) {
    const year = YEAR.exec(question);
    if (year) {
      period = { from: `${year[1]}-01-01`, to: `${year[1]}-12-31`, label: year[0].trim() };
      rest = rest.replace(year[0], ' ');
    }
  }
  if (!period) {
    for (const r of RELATIVE) {
      const m = r.re.exec(question);
      if (!m) continue;
      const [from, to] = r.period(day);
      period = { from: iso(from), to: iso(to), label: m[0] };
      rest = rest.replace(m[0], ' ');
      break;
    }
  }
  const latest = LATEST.test(rest);
  const topic = rest.replace(LATEST_ALL, ' ').replace(/\s+/gu, ' ').trim();
  return { period, latest, topic: /[\p{L}\p{N}]{2}/u.test(topic) ? topic : question };
}

/** A date (`YYYY-MM` or `YYYY-MM-DD`) as the days it covers. */
function span(date: string): [string, string] {
  if (date.length === 7) {
    const [y, m] = date.split('-').map(Number) as [number, number];
    return [`${date}-01`, `${date}-${pad(lastDay(y, m))}`];
  }
  return [date, date];
}

/** True when a date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) falls in the period, in part at least. */
export const overlaps = (date: string, p: Period): boolean => {
  const [from, to] = span(date);
  return from <= p.to && to >= p.from;
};

/** Every date with a year that a text states ("17 octobre 2022", "October 9, 2025", "décembre 2024"). */
export function statedDates(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(DAY_MONTH_YEAR)) {
    const [d, month, y] = m[1] ? [m[1], m[2]!, m[3]!] : [m[5]!, m[4]!, m[6]!];
    out.push(`${y}-${pad(MONTHS[month.toLowerCase()]!)}-${pad(Number(d))}`);
  }
  for (const m of text.matchAll(MONTH_YEAR_ALL)) out.push(`${m[2]}-${pad(MONTHS[m[1]!.toLowerCase()]!)}`);
  return out;
}

