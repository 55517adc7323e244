/**
 * A news corpus of any size, made from the seed articles' sentences with other people, places,
 * numbers and dates, deterministic from a seed number. What a year of news looks like to the
 * index: articles of a few to twenty paragraphs in the seeds' formats (`date YYYY-MM` lines,
 * datelines, front matter, "Voir plus" blurbs, captions), a few names that come back all the
 * time and many rare ones, leads repeated in the body, and near-duplicates (the same story
 * republished with a figure changed or a paragraph dropped). The vocabulary is the seeds', so
 * common words have long posting lists: for search cost this is a pessimistic corpus.
 */
import { mulberry32 } from '../../../src/lib/mulberry32.js';
import { parseArticleFile } from '../../../src/core/text/ingest.js';
import { buildPassages } from '../../../src/core/text/passages.js';
import type { Article } from '../../../src/core/types.js';
import { SEED_PEOPLE, SEED_PLACES, makePeople, makePlaces, zipfPicker } from './entities.js';

export interface GeneratedFile {
  name: string;
  text: string;
}

export interface GenerateOptions {
  seed: number;
  /** Generate until the corpus holds at least this many passages. */
  passages: number;
  /** The seed articles: their sentences and titles are the material. */
  sources: readonly Article[];
  /** Files copied as they are (the seeds), so questions about them keep their answers. */
  originals?: readonly GeneratedFile[];
}

export interface GeneratedCorpus {
  files: GeneratedFile[];
  /** Passages the corpus holds, counted with the bot's own ingestion. */
  passages: number;
  articles: number;
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const MONTH_RE = new RegExp(`(?<![\\p{L}])(?:${MONTHS.join('|')})(?![\\p{L}])`, 'giu');
const NUMBER_RE = /(?<![\p{L}\p{N}])\d+(?![\p{N}])/gu;
const CITIES = ['Hanoi', 'Moscou', 'Singapour', 'Vientiane', 'Phnom Penh', 'Bangkok', 'Pékin', 'Paris', 'Sofia', 'Helsinki'];

/** Shares of articles in each shape; the rest are new stories in the seeds' formats. */
const NEAR_DUPLICATE_SHARE = 0.2;
const RECENT_PLANS = 50;

interface Plan {
  /** Paragraphs as lists of seed sentences, before substitution. */
  paragraphs: string[][];
  title: string;
  style: 'date-line' | 'dateline' | 'front-matter' | 'undated';
  year: number;
  month: number;
  day: number;
  /** Seed of the name and place substitutions. */
  cast: number;
  /** Seed of the number substitutions. */
  figures: number;
  related: { title: string; sentence: string }[];
  captions: number;
  source: boolean;
}

/** The corpus for `options`; the same options always give the same files. */
export function generateCorpus(options: GenerateOptions): GeneratedCorpus {
  const next = mulberry32(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const sources = options.sources.filter((a) => a.paragraphs.length > 0);
  if (sources.length === 0) throw new Error('no source articles to generate from');
  const allParagraphs = sources.flatMap((a) => a.paragraphs);
  const allSentences = allParagraphs.flat();
  const titles = sources.map((a) => a.title);
  // Pools sized for the corpus: about one new person per 20 passages, one place per 200.
  const people = makePeople(options.seed, 40 + Math.ceil(options.passages / 20));
  const places = makePlaces(options.seed, Math.min(400, 30 + Math.ceil(options.passages / 200)));
  const person = zipfPicker(people.length);
  const place = zipfPicker(places.length);

  const files: GeneratedFile[] = [];
  let passages = 0;
  let articles = 0;
  for (const original of options.originals ?? []) {
    const parsed = parseArticleFile(original.name, original.text);
    files.push(original);
    articles += parsed.length;
    passages += buildPassages(parsed).length;
  }

  const recent: Plan[] = [];
  const newPlan = (): Plan => {
    const base = pick(sources);
    const paragraphs: string[][] = [];
    for (const p of base.paragraphs) {
      if (next() < 0.3) continue;
      paragraphs.push(next() < 0.25 ? remix(next, allSentences) : p);
      // A lead restated word for word (ingestion drops it), or restated and continued
      // (the same passage twice in one article).
      if (next() < 0.05) paragraphs.push(p);
      else if (next() < 0.05) paragraphs.push([...p, pick(allSentences)]);
    }
    const extra = Math.floor(next() * 4);
    for (let i = 0; i < extra; i++) paragraphs.splice(Math.floor(next() * (paragraphs.length + 1)), 0, next() < 0.5 ? pick(allParagraphs) : remix(next, allSentences));
    if (paragraphs.length === 0) paragraphs.push(pick(allParagraphs));
    const r = next();
    return {
      paragraphs,
      title: pick(titles),
      style: r < 0.35 ? 'date-line' : r < 0.7 ? 'dateline' : r < 0.9 ? 'front-matter' : 'undated',
      year: 2015 + Math.floor(next() * 11),
      month: Math.floor(next() * 12),
      day: 1 + Math.floor(next() * 28),
      cast: Math.floor(next() * 2 ** 31),
      figures: Math.floor(next() * 2 ** 31),
      related: next() < 0.15 ? Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({ title: pick(titles), sentence: pick(allSentences) })) : [],
      captions: next() < 0.2 ? 1 + Math.floor(next() * 2) : 0,
      source: next() < 0.3,
    };
  };
  const nearDuplicate = (of: Plan): Plan => {
    const paragraphs = of.paragraphs.filter(() => next() >= 0.1);
    return { ...of, paragraphs: paragraphs.length > 0 ? paragraphs : of.paragraphs, figures: next() < 0.7 ? Math.floor(next() * 2 ** 31) : of.figures };
  };

  while (passages < options.passages) {
    const plan = recent.length > 0 && next() < NEAR_DUPLICATE_SHARE ? nearDuplicate(pick(recent)) : newPlan();
    recent.push(plan);
    if (recent.length > RECENT_PLANS) recent.shift();
    const index = files.length;
    const name = `g${String(index).padStart(6, '0')}_${(plan.cast >>> 0).toString(16).padStart(8, '0')}.txt`;
    const text = render(plan, { people, places, person, place });
    const parsed = parseArticleFile(name, text);
    files.push({ name, text });
    articles += parsed.length;
    passages += buildPassages(parsed).length;
  }
  return { files, passages, articles };
}

/** Two to four sentences from anywhere in the seeds: a paragraph no seed has. */
function remix(next: () => number, sentences: readonly string[]): string[] {
  const n = 2 + Math.floor(next() * 3);
  return Array.from({ length: n }, () => sentences[Math.floor(next() * sentences.length)]!);
}

interface Cast {
  people: readonly string[];
  places: readonly string[];
  person: (uniform: number) => number;
  place: (uniform: number) => number;
}

/** The plan as a file in one of the seeds' formats. */
function render(plan: Plan, cast: Cast): string {
  const sub = substitution(plan, cast);
  const paragraphs = plan.paragraphs.map((p) => p.map(sub).join(' '));
  const title = sub(plan.title);
  const month = MONTHS[plan.month]!;
  const ym = `${plan.year}-${String(plan.month + 1).padStart(2, '0')}`;
  const lines: string[] = [];
  switch (plan.style) {
    case 'date-line':
      lines.push(`date ${ym} ${paragraphs[0]}`, ...paragraphs.slice(1));
      break;
    case 'dateline': {
      const city = CITIES[plan.cast % CITIES.length]!;
      lines.push(title, `${city}, ${plan.day} ${month}(VNA) – ${paragraphs[0]}`, ...paragraphs.slice(1));
      break;
    }
    case 'front-matter':
      lines.push(`---\ntitle: "${title.replace(/["\\]/gu, '')}"\ndate: ${ym}-${String(plan.day).padStart(2, '0')}\n---`, ...paragraphs);
      break;
    case 'undated':
      lines.push(title, ...paragraphs);
      break;
  }
  for (let i = 0; i < plan.captions; i++) lines.splice(2 + i, 0, `${title} ảnh ${i + 1}Une délégation en visite. Photo : VNA`);
  if (plan.source) lines.push(`Source : https://example.org/news/${plan.cast.toString(36)}.vnp`);
  if (plan.related.length > 0) {
    lines.push('Comment (0)', 'Voir plus');
    for (const r of plan.related) lines.push(sub(r.title), `${sub(r.sentence)} Le ${plan.day} ${month} ${plan.year}.`);
  }
  return `${lines.join('\n\n')}\n`;
}

/**
 * The article's own cast: each seed person and place becomes one other, the same throughout the
 * article; numbers and months change too (years stay near the article's year).
 */
function substitution(plan: Plan, cast: Cast): (text: string) => string {
  const who = mulberry32(plan.cast);
  const people = new Map(SEED_PEOPLE.map((p) => [p, cast.people[cast.person(who())]!]));
  const places = new Map(SEED_PLACES.map((p) => [p, cast.places[cast.place(who())]!]));
  const names = new RegExp(`(?<![\\p{L}])(?:${[...SEED_PEOPLE, ...SEED_PLACES].map(escape).join('|')})(?![\\p{L}])`, 'gu');
  return (text) => {
    // Figures are drawn per sentence from the plan's seed and the sentence, so a near-duplicate
    // that keeps `figures` keeps its numbers, and one that changes it changes them all.
    const figures = mulberry32(plan.figures ^ hash(text));
    return text
      .replace(names, (m) => people.get(m) ?? places.get(m) ?? m)
      .replace(MONTH_RE, () => MONTHS[(plan.month + Math.floor(figures() * 2)) % 12]!)
      .replace(NUMBER_RE, (m) => {
        const n = Number(m);
        if (m.length === 4 && n >= 1900 && n <= 2100) return String(plan.year - Math.floor(figures() * 2));
        if (m.length <= 2 && n >= 1 && n <= 31) return String(1 + Math.floor(figures() * 28));
        const lo = 10 ** (m.length - 1);
        return String(lo + Math.floor(figures() * (9 * lo)));
      });
  };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

/** FNV-1a, for deriving a per-sentence seed. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
