import { MAX_ARTICLE_BYTES } from '../core/text/ingest.js';
import { saveArticle, type SaveStatus } from './article-file.js';
import { extractArticle } from './extract.js';
import { FetchError, safeFetch, type FetchErrorCode, type FetchOptions } from './safe-fetch.js';

/** Why an article could not be added: a fetch refusal, or a page with no article in it. */
export type AddErrorCode = FetchErrorCode | 'no-article' | 'save';

export interface AddFailure {
  code: AddErrorCode;
  detail: string;
  /** One short English line (the CLI's; the bot words `code` in the asker's language). */
  message: string;
  /** Worth retrying later (timeouts, 5xx, network). */
  transient: boolean;
}

export type AddOutcome =
  | { url: string; ok: true; status: SaveStatus; file: string; title: string; date: string | null; dateSource: string | null; source: string }
  | { url: string; ok: false; error: AddFailure };

export interface AddOptions {
  seedsDir: string;
  fetch: Omit<FetchOptions, 'kind'>;
  /** The date to use when the page states none (a feed item's `pubDate`/`published`). */
  fallbackDate?: string | null;
  /** Clock, for `fetched:` (tests). */
  now?: () => Date;
}

/** Below this much text a page is not an article (a login wall, an index page, an error page). */
const MIN_ARTICLE_CHARS = 200;

/** Fetches a page, extracts its article and saves it in the seeds folder. Never throws. */
export async function addFromUrl(url: string, options: AddOptions): Promise<AddOutcome> {
  try {
    const page = await safeFetch(url, { ...options.fetch, kind: 'html' });
    const article = extractArticle(page.text, page.url);
    const chars = article.paragraphs.reduce((n, p) => n + p.length, 0);
    if (article.paragraphs.length === 0 || chars < MIN_ARTICLE_CHARS) {
      return failure(url, 'no-article', page.url, 'no article text found on that page');
    }
    const title = article.title ?? shortTitle(article.paragraphs[0]!);
    const date = article.date ?? options.fallbackDate ?? null;
    const text = article.paragraphs.join('\n\n');
    if (Buffer.byteLength(text) > MAX_ARTICLE_BYTES) return failure(url, 'too-large', String(Buffer.byteLength(text)), 'the article text is over 2 MB');
    const saved = await saveArticle(options.seedsDir, {
      title,
      date,
      source: article.canonical,
      fetched: (options.now?.() ?? new Date()).toISOString(),
      language: article.language,
      paragraphs: article.paragraphs,
    });
    return {
      url,
      ok: true,
      ...saved,
      title,
      date,
      dateSource: article.date ? article.dateSource : date ? 'feed' : null,
      source: article.canonical,
    };
  } catch (error) {
    if (error instanceof FetchError) return { url, ok: false, error: { code: error.code, detail: error.detail, message: error.message, transient: error.transient } };
    const code = (error as NodeJS.ErrnoException).code;
    return failure(url, 'save', code ?? 'error', `could not save the article (${code ?? 'error'})`);
  }
}

function failure(url: string, code: AddErrorCode, detail: string, message: string): AddOutcome {
  return { url, ok: false, error: { code, detail, message, transient: false } };
}

/** A title for a page with no headline: its first sentence's opening words. */
function shortTitle(paragraph: string): string {
  const sentence = paragraph.split(/(?<=[.!?])\s/u)[0]!;
  const words = sentence.split(' ');
  return words.length <= 10 ? sentence.replace(/[.!?]$/u, '') : `${words.slice(0, 10).join(' ')}…`;
}
