import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, request, type Dispatcher } from 'undici';

/**
 * Fetching untrusted URLs: only http(s), never a private, loopback, link-local or metadata
 * address (checked on the address actually connected to, after DNS resolution, and on every
 * redirect), at most 5 redirects, 15 s, 5 MB, and only the content types asked for.
 */

/** Why a fetch was refused or failed; `code` lets each adapter word it in the user's language. */
export type FetchErrorCode =
  | 'bad-url'
  | 'scheme'
  | 'private'
  | 'dns'
  | 'timeout'
  | 'too-large'
  | 'redirects'
  | 'status'
  | 'content-type'
  | 'network';

export class FetchError extends Error {
  override name = 'FetchError';
  constructor(
    readonly code: FetchErrorCode,
    /** A short detail (a status, a content type, a host), never a stack or a local path. */
    readonly detail: string,
    message: string,
  ) {
    super(message);
  }
  /** Feeds retry what may pass later (timeouts, 5xx, network), not what will never pass. */
  get transient(): boolean {
    return this.code === 'timeout' || this.code === 'network' || this.code === 'dns' || (this.code === 'status' && (Number(this.detail) >= 500 || this.detail === '429'));
  }
}

export type ContentKind = 'html' | 'feed';

export interface FetchOptions {
  kind: ContentKind;
  /** Allow private, loopback and link-local addresses (the tests' local server). */
  allowPrivate?: boolean;
  /** Replaces the address policy (tests: allow only the local test server's address). */
  allowAddress?: (address: string) => boolean;
  /** Replaces DNS resolution (tests: names that resolve to chosen addresses, offline). */
  lookup?: typeof dnsLookup;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
}

export interface FetchedPage {
  /** The URL the content came from, after redirects. */
  url: string;
  status: number;
  contentType: string;
  /** The body decoded with the charset from the headers, the document, or UTF-8. */
  text: string;
  /** The charset that was used. */
  charset: string;
}

const FETCH_DEFAULTS = Object.freeze({ timeoutMs: 15_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5 });

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/xml',
  'text/xml',
  'application/feed+json',
  'application/json',
  // Many servers send feeds as plain text or HTML; the feed parser decides.
  'text/plain',
  'text/html',
]);

const USER_AGENT = 'news-quote-bot/0.1';

/** Parses and checks a URL typed by a user: http(s) only, no credentials. */
export function checkUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new FetchError('bad-url', raw.slice(0, 100), `not a valid link: ${raw.slice(0, 100)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError('scheme', url.protocol, `only http and https links are accepted (got ${url.protocol})`);
  if (url.username || url.password) throw new FetchError('bad-url', url.host, 'links with a user name or password are not accepted');
  url.hash = '';
  return url;
}

/** True for an address a public web page may live at: unicast, not private, loopback, link-local, reserved or multicast. */
export function isPublicAddress(address: string): boolean {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return false;
  }
  return parsed.range() === 'unicast';
}

type AddressPolicy = (address: string) => boolean;
const allowAll: AddressPolicy = () => true;

/** DNS lookup that refuses to hand out a disallowed address, so the check holds for the address actually connected to. */
function safeLookup(allow: AddressPolicy, resolve: typeof dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const bad = addresses.find((a) => !allow(a.address));
      if (bad || addresses.length === 0) {
        const refusal = Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATE' });
        return callback(refusal, '', 0);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

const agents = new WeakMap<AddressPolicy, WeakMap<object, Agent>>();
function agentFor(allow: AddressPolicy, resolve: typeof dnsLookup): Dispatcher {
  let byResolver = agents.get(allow);
  if (!byResolver) agents.set(allow, (byResolver = new WeakMap()));
  let agent = byResolver.get(resolve);
  if (!agent) {
    agent = new Agent({ connect: { timeout: 10_000, lookup: safeLookup(allow, resolve) } });
    byResolver.set(resolve, agent);
  }
  return agent;
}

function checkHost(url: URL, allow: AddressPolicy): void {
  if (allow === allowAll) return;
  const host = url.hostname.replace(/^\[|\]$/gu, '');
  // A literal address is never looked up, so it is checked here; names are checked at connection.
  if (isIP(host) && !allow(host)) throw new FetchError('private', host, `${host} is a private or local address`);
  if (!isIP(host) && /^(?:localhost|.*\.localhost)$/iu.test(host)) throw new FetchError('private', host, `${host} is a private or local address`);
}

/**
 * Fetches a URL with the limits above. Throws a FetchError with one short line for every
 * refusal or failure; never returns a partial body.
 */
export async function safeFetch(rawUrl: string, options: FetchOptions): Promise<FetchedPage> {
  const allow: AddressPolicy = options.allowAddress ?? (options.allowPrivate ? allowAll : isPublicAddress);
  const dispatcher = agentFor(allow, options.lookup ?? dnsLookup);
  const timeoutMs = options.timeoutMs ?? FETCH_DEFAULTS.timeoutMs;
  const maxBytes = options.maxBytes ?? FETCH_DEFAULTS.maxBytes;
  const maxRedirects = options.maxRedirects ?? FETCH_DEFAULTS.maxRedirects;
  const signal = AbortSignal.timeout(timeoutMs);
  let url = checkUrl(rawUrl);
  const visited = new Set<string>();
  for (let hop = 0; ; hop++) {
    checkHost(url, allow);
    visited.add(url.href);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: 'GET',
        dispatcher,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        headers: {
          'user-agent': USER_AGENT,
          accept: options.kind === 'html' ? 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1' : 'application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,*/*;q=0.1',
          'accept-encoding': 'identity',
        },
      });
    } catch (error) {
      throw networkError(error, url, signal);
    }
    const { statusCode, headers, body } = response;
    if (statusCode >= 300 && statusCode < 400 && headers.location) {
      discard(body);
      if (hop >= maxRedirects) throw new FetchError('redirects', String(maxRedirects), `too many redirects (more than ${maxRedirects})`);
      let next: URL;
      try {
        next = checkUrl(new URL(String(headers.location), url).href);
      } catch (error) {
        if (error instanceof FetchError && error.code === 'scheme') throw new FetchError('scheme', error.detail, `redirected to a link that is not http or https (${error.detail})`);
        throw error;
      }
      if (visited.has(next.href)) throw new FetchError('redirects', 'loop', 'the page redirects in a loop');
      url = next;
      continue;
    }
    if (statusCode < 200 || statusCode >= 300) {
      discard(body);
      throw new FetchError('status', String(statusCode), `the server answered ${statusCode}`);
    }
    const contentType = String(headers['content-type'] ?? '').toLowerCase();
    const mediaType = contentType.split(';')[0]!.trim();
    const accepted = options.kind === 'html' ? HTML_TYPES : FEED_TYPES;
    if (!accepted.has(mediaType) && !(options.kind === 'feed' && /\+(?:xml|json)$/u.test(mediaType))) {
      discard(body);
      const shown = mediaType || 'no content type';
      throw new FetchError('content-type', shown, options.kind === 'html' ? `not a web page (${shown})` : `not a feed (${shown})`);
    }
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      discard(body);
      throw new FetchError('too-large', String(declared), `the page is too large (${formatMb(declared)}, limit ${formatMb(maxBytes)})`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of body) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) {
          discard(body);
          throw new FetchError('too-large', String(size), `the page is too large (over ${formatMb(maxBytes)})`);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      if (error instanceof FetchError) throw error;
      throw networkError(error, url, signal);
    }
    const bytes = Buffer.concat(chunks);
    const charset = detectCharset(contentType, bytes, options.kind);
    return { url: url.href, status: statusCode, contentType: mediaType, text: decode(bytes, charset), charset };
  }
}

/** Drops a body not to be read: closed at once, its abort error swallowed. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function networkError(error: unknown, url: URL, signal: AbortSignal): FetchError {
  const e = error as { code?: string; name?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  if (signal.aborted || e.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new FetchError('timeout', url.host, `the server did not answer in time (${url.host})`);
  }
  if (code === 'EPRIVATE') return new FetchError('private', url.hostname, `${url.hostname} resolves to a private or local address`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new FetchError('dns', url.hostname, `no such host: ${url.hostname}`);
  return new FetchError('network', code ?? 'error', `could not reach ${url.host} (${code ?? 'network error'})`);
}

/** The charset from the Content-Type header, else a BOM, else the document's own declaration, else UTF-8. */
function detectCharset(contentType: string, bytes: Uint8Array, kind: ContentKind): string {
  const fromHeader = /charset\s*=\s*"?([\w.:-]+)/iu.exec(contentType)?.[1];
  if (fromHeader && isKnownCharset(fromHeader)) return fromHeader.toLowerCase();
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const declared =
    kind === 'feed'
      ? /<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/iu.exec(head)?.[1]
      : (/<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/iu.exec(head)?.[1] ?? /<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/iu.exec(head)?.[1]);
  if (declared && isKnownCharset(declared)) return declared.toLowerCase();
  return 'utf-8';
}

function isKnownCharset(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

function decode(bytes: Uint8Array, charset: string): string {
  return new TextDecoder(charset).decode(bytes);
}

function formatMb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
