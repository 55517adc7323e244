import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { findStatedDate, normaliseIsoDate } from '../core/text/index.js';
import { guessLang } from '../core/text/index.js';
import { isNoiseParagraph } from '../core/text/index.js';

/**
 * A web page → the article in it: title, publication date (only what the page states), the
 * canonical URL, the language, and the text paragraph by paragraph. Navigation, cookie banners,
 * ads, related-article lists, captions and credits are left out.
 */
export interface ExtractedArticle {
  title: string | null;
  /** `YYYY-MM-DD` (or `YYYY-MM`) as the page states it, or null: never guessed, never the fetch date. */
  date: string | null;
  /** Where the date came from. */
  dateSource: 'json-ld' | 'meta' | 'time' | 'dateline' | null;
  /** `<link rel=canonical>`, else `og:url`, else the page's URL (without tracking parameters). */
  canonical: string;
  /** Two-letter language code, from the page or guessed from its text. */
  language: string;
  paragraphs: string[];
}

/** Elements that are never article text. */
const DROP_SELECTOR = [
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'canvas',
  'form',
  'button',
  'nav',
  'aside',
  'footer',
  'figcaption',
  'dialog',
  '[role="navigation"]',
  '[role="complementary"]',
  '[role="banner"]',
  '[role="contentinfo"]',
  '[role="dialog"]',
  '[role="alertdialog"]',
  '[aria-hidden="true"]',
  '[hidden]',
].join(',');

/** Class or id words of boilerplate blocks: cookie banners, ads, related lists, sharing, newsletters, captions. */
const NOISE_NAME =
  /(?:^|[\s_-])(?:cookies?|consent|gdpr|rgpd|banner|ads?|advert\w*|advertisement|pub|publicite|sponsor\w*|promo\w*|related|recommend\w*|read-?more|lire-?aussi|more-?stories|most-?read|popular|trending|newsletter|subscribe|abonnement|share|sharing|social|partage|breadcrumbs?|comments?|caption|legende|credits?|byline-?photo|outbrain|taboola|paywall)(?:$|[\s_-])/iu;

/** Paragraphs that are page furniture even inside the article. */
const FURNITURE =
  /^(?:(?:lire|à lire|a lire|voir) (?:aussi|également|plus)|read (?:more|also|next)|related(?: articles?| stories)?|see also|advertisement|publicité|sponsored|partager|share(?: this)?|newsletter|subscribe|abonnez-vous|tous droits réservés|all rights reserved|©)\b/iu;

type DomDocument = ReturnType<typeof parseHTML>['document'];
type DomElement = ReturnType<DomDocument['createElement']>;

const MONTHS_EN: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
  jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

export function extractArticle(html: string, pageUrl: string): ExtractedArticle {
  const { document } = parseHTML(html);
  const meta = (selector: string): string | null => {
    const value = document.querySelector(selector)?.getAttribute('content')?.trim();
    return value ? value : null;
  };

  const jsonLd = readJsonLd(document);
  const canonical = canonicalUrl(document, pageUrl, meta('meta[property="og:url"]'));
  const htmlLang = document.documentElement?.getAttribute('lang') ?? meta('meta[http-equiv="content-language" i]') ?? meta('meta[property="og:locale"]');

  // The publication date, from the most explicit statement the page makes.
  let date: string | null = null;
  let dateSource: ExtractedArticle['dateSource'] = null;
  const fromJsonLd = jsonLd.map((o) => o.datePublished).find((d): d is string => typeof d === 'string');
  const fromMeta =
    meta('meta[property="article:published_time"]') ??
    meta('meta[property="og:article:published_time"]') ??
    meta('meta[itemprop="datePublished"]') ??
    meta('meta[name="date"]') ??
    meta('meta[name="dc.date"]') ??
    meta('meta[name="DC.date.issued"]') ??
    meta('meta[name="pubdate"]') ??
    meta('meta[name="publish-date"]');
  const timeEl =
    document.querySelector('article time[datetime][itemprop="datePublished"], time[datetime][itemprop="datePublished"], time[datetime][pubdate]') ??
    document.querySelector('article time[datetime]') ??
    document.querySelector('time[datetime]');
  const fromTime = timeEl?.getAttribute('datetime') ?? (timeEl?.hasAttribute('itemprop') ? timeEl.textContent : null) ?? null;
  for (const [value, source] of [
    [fromJsonLd, 'json-ld'],
    [fromMeta, 'meta'],
    [fromTime, 'time'],
  ] as const) {
    const day = value ? isoDay(value) : null;
    if (day) {
      date = day;
      dateSource = source;
      break;
    }
  }

  const headline = jsonLd.map((o) => o.headline).find((h): h is string => typeof h === 'string' && h.trim() !== '');
  const h1s = [...document.querySelectorAll('h1')].map((h) => clean(h.textContent ?? '')).filter(Boolean);
  const ogTitle = meta('meta[property="og:title"]');

  // Page furniture out before Readability scores what is left.
  for (const el of [...document.querySelectorAll(DROP_SELECTOR)]) el.remove();
  // A block named like boilerplate is dropped unless it holds the article itself (a wrapper
  // called "page has-ads" is not an ad).
  const pageText = (document.body?.textContent ?? '').length;
  for (const el of [...document.querySelectorAll('[class], [id]')]) {
    if (!el.isConnected || /^(?:BODY|HTML|ARTICLE|MAIN)$/u.test(el.tagName)) continue;
    const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    if (!NOISE_NAME.test(names)) continue;
    if (el.querySelector('article, main, [itemprop="articleBody"]') || (el.textContent ?? '').length > pageText * 0.4) continue;
    el.remove();
  }
  for (const h of [...document.querySelectorAll('h1')]) h.remove();

  // The serializer hands back the content element itself: its blocks are read without re-parsing.
  const parsed = new Readability<DomElement>(document as never, { serializer: (node) => node as unknown as DomElement, charThreshold: 200 }).parse();
  const root = parsed?.content;
  let paragraphs = root ? blocksOf(root) : [];
  if (paragraphs.length === 0 && parsed?.textContent) paragraphs = parsed.textContent.split(/\n\s*\n/u).map(clean);
  paragraphs = dedupe(paragraphs.filter((p) => /\p{L}/u.test(p) && !isNoiseParagraph(p) && !FURNITURE.test(p) && !isDateLine(p)));

  if (!date && paragraphs[0]) {
    const fromDateline = datelineDate(paragraphs[0]);
    if (fromDateline) {
      date = fromDateline;
      dateSource = 'dateline';
    }
  }

  const title = clean(headline ?? (h1s.length === 1 ? h1s[0]! : null) ?? ogTitle ?? parsed?.title ?? document.querySelector('title')?.textContent ?? '') || null;
  const language = (htmlLang ?? parsed?.lang ?? '').slice(0, 2).toLowerCase() || guessLang(paragraphs.slice(0, 5).join(' '));
  return { title, date, dateSource, canonical, language: /^[a-z]{2}$/u.test(language) ? language : guessLang(paragraphs.join(' ')), paragraphs };
}

/** The text blocks of the article, in order: paragraphs, subheads, list items, quotes. */
function blocksOf(root: DomElement): string[] {
  const selector = 'p, h2, h3, h4, h5, h6, li, blockquote, pre, dd, dt';
  const blocks = [...root.querySelectorAll(selector)];
  const out: string[] = [];
  for (const el of blocks) {
    // A container of other blocks (a list item holding paragraphs) gives its children, not itself.
    if (el.querySelector(selector)) continue;
    for (const br of [...el.querySelectorAll('br')]) br.replaceWith('\n');
    for (const line of (el.textContent ?? '').split('\n')) {
      const text = clean(line);
      if (text) out.push(text);
    }
  }
  return out;
}

/** A line that is only a date or a "published/updated" stamp, not text. */
function isDateLine(p: string): boolean {
  if (p.length > 60 || /[.!?»]$/u.test(p)) return false;
  const rest = p.replace(/^(?:published|updated|posted|publié|mis à jour|modifié)(?:\s+(?:le|on|at))?\s*:?\s*/iu, '');
  return isoDay(rest) !== null && rest.split(/\s+/u).length <= 8;
}

function dedupe(paragraphs: string[]): string[] {
  const seen = new Set<string>();
  return paragraphs.filter((p) => (seen.has(p) ? false : (seen.add(p), true)));
}

function clean(text: string): string {
  return text.replace(/[\u00a0\u202f\s]+/gu, ' ').trim();
}

interface JsonLdObject {
  '@type'?: unknown;
  datePublished?: unknown;
  headline?: unknown;
}

/** JSON-LD objects of the page, articles first (flattening `@graph` and arrays). */
function readJsonLd(document: DomDocument): JsonLdObject[] {
  const found: JsonLdObject[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const o = value as Record<string, unknown>;
    if (o['@graph']) visit(o['@graph']);
    found.push(o as JsonLdObject);
  };
  for (const script of [...document.querySelectorAll('script[type="application/ld+json"]')]) {
    try {
      visit(JSON.parse(script.textContent ?? ''));
    } catch {
      // A broken block is ignored: the page has other ways to state its date.
    }
  }
  const isArticle = (o: JsonLdObject): boolean => [o['@type']].flat().some((t) => typeof t === 'string' && /Article|Posting|Report/u.test(t));
  return [...found.filter(isArticle), ...found.filter((o) => !isArticle(o))];
}

function canonicalUrl(document: DomDocument, pageUrl: string, ogUrl: string | null): string {
  for (const candidate of [document.querySelector('link[rel="canonical"]')?.getAttribute('href'), ogUrl]) {
    if (!candidate) continue;
    try {
      const url = new URL(candidate, pageUrl);
      if (url.protocol === 'http:' || url.protocol === 'https:') {
        url.hash = '';
        return url.href;
      }
    } catch {
      // Not a URL: try the next one.
    }
  }
  const url = new URL(pageUrl);
  url.hash = '';
  for (const key of [...url.searchParams.keys()]) if (/^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|xtor)$/iu.test(key)) url.searchParams.delete(key);
  return url.href;
}

/**
 * A date value → `YYYY-MM-DD` as written: ISO 8601 keeps its own calendar day (the publisher's
 * time zone), RFC 822 (`Tue, 14 Oct 2025 10:00:00 +0700`) too; anything else that parses is taken in UTC.
 */
export function isoDay(value: string): string | null {
  const v = value.trim();
  const iso = /^(\d{4})-(\d{2})(?:-(\d{2}))?/u.exec(v);
  if (iso) return normaliseIsoDate(iso[0]);
  const rfc = /\b(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})\b/u.exec(v);
  if (rfc && MONTHS_EN[rfc[2]!.toLowerCase()]) return `${rfc[3]}-${pad(MONTHS_EN[rfc[2]!.toLowerCase()]!)}-${pad(Number(rfc[1]))}`;
  const stated = findStatedDate(v);
  if (stated?.date && /^\d{4}-\d{2}-\d{2}$/u.test(stated.date)) return stated.date;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
}

/**
 * The date in a dateline at the start of an article, only when it states a year:
 * "PARIS, 3 septembre 2024 (AFP) –", "LONDON, Oct. 14, 2025 (Reuters) -", "Lyon, le 12 mars 2025 —".
 */
function datelineDate(paragraph: string): string | null {
  const m = /^[\p{Lu}][\p{L} .'’-]{1,40},\s*(?:le\s+|on\s+)?([^–—()]{4,40}?)\s*(?:\([^)]{1,30}\)\s*)?[–—-]/u.exec(paragraph);
  if (!m) return null;
  const text = m[1]!.trim();
  const fr = findStatedDate(text);
  if (fr?.date && /^\d{4}-\d{2}-\d{2}$/u.test(fr.date)) return fr.date;
  const en = /^(?:([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})|(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4}))$/u.exec(text);
  if (!en) return null;
  const month = MONTHS_EN[(en[1] ?? en[5])!.toLowerCase()];
  if (!month) return null;
  return `${en[3] ?? en[6]}-${pad(month)}-${pad(Number(en[2] ?? en[4]))}`;
}

const pad = (n: number): string => String(n).padStart(2, '0');
