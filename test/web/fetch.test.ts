import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError, checkUrl, isPublicAddress, safeFetch, type FetchOptions } from '../../src/web/safe-fetch.js';
import { frenchArticle, latin1Article, LATIN1_EXPECTED } from './pages.js';
import { startNewsServer, type NewsServer } from './server.js';

let site: NewsServer;
/** Only the test server's own address is allowed, so refusals of every other private address are real. */
const onlyTestServer = (a: string): boolean => a === '127.0.0.1';
const html = (extra: Partial<FetchOptions> = {}): FetchOptions => ({ kind: 'html', allowAddress: onlyTestServer, ...extra });

async function refusal(url: string, options: FetchOptions): Promise<FetchError> {
  const error = await safeFetch(url, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FetchError);
  const e = error as FetchError;
  // One short line: no stack, no newline.
  expect(e.message).not.toMatch(/\n|\bat \w/u);
  return e;
}

beforeAll(async () => {
  site = await startNewsServer();
  site.page('/fr', frenchArticle(site.origin));
  site.page('/latin1', latin1Article(), 'text/html');
  site.page('/latin1-header', Buffer.from('<html><head><title>x</title></head><body><p>Un été à Hanoï, café crème.</p></body></html>', 'latin1'), 'text/html; charset=ISO-8859-1');
  site.page('/doc.pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj<<>>endobj\n'), 'application/pdf');
  site.routes.set('/404', (_q, r) => void r.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Page introuvable</h1>'));
  site.routes.set('/500', (_q, r) => void r.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Erreur interne</h1>'));
  site.routes.set('/loop-a', (_q, r) => void r.writeHead(302, { location: '/loop-b' }).end());
  site.routes.set('/loop-b', (_q, r) => void r.writeHead(301, { location: `${site.origin}/loop-a` }).end());
  for (let i = 0; i < 7; i++) site.routes.set(`/hop${i}`, (_q, r) => void r.writeHead(302, { location: `/hop${i + 1}` }).end());
  site.page('/hop7', frenchArticle(site.origin));
  site.routes.set('/to-metadata', (_q, r) => void r.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam/' }).end());
  site.routes.set('/to-private', (_q, r) => void r.writeHead(307, { location: 'http://10.0.0.5/admin' }).end());
  site.routes.set('/to-loopback6', (_q, r) => void r.writeHead(302, { location: 'http://[::1]:80/' }).end());
  site.routes.set('/to-internal-name', (_q, r) => void r.writeHead(302, { location: 'http://intranet.example/' }).end());
  site.routes.set('/to-file', (_q, r) => void r.writeHead(302, { location: 'file:///etc/passwd' }).end());
  site.routes.set('/huge', (_q, r) => {
    // 20 MB, streamed without a Content-Length: the limit must hold while reading.
    r.writeHead(200, { 'content-type': 'text/html' });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = (): void => {
      while (sent < 20 * 1024 * 1024) {
        sent += chunk.length;
        if (!r.write(chunk)) return void r.once('drain', pump);
      }
      r.end();
    };
    r.on('error', () => undefined);
    pump();
  });
  site.routes.set('/huge-declared', (_q, r) => void r.writeHead(200, { 'content-type': 'text/html', 'content-length': String(20 * 1024 * 1024) }).end());
  site.routes.set('/slow', (_q, r) => {
    const t = setTimeout(() => r.writeHead(200, { 'content-type': 'text/html' }).end('<p>late</p>'), 5_000);
    r.on('close', () => clearTimeout(t));
  });
});

afterAll(async () => {
  await site.close();
});

describe('URL and address checks', () => {
  it('accepts only http and https links', () => {
    expect(checkUrl('https://example.org/a#frag').href).toBe('https://example.org/a');
    for (const bad of ['ftp://example.org/a', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,hi']) {
      expect(() => checkUrl(bad)).toThrow(/only http and https/u);
    }
    expect(() => checkUrl('not a url')).toThrow(/not a valid link/u);
    expect(() => checkUrl('http://user:pw@example.org/')).toThrow(/user name or password/u);
  });

  it('classifies addresses: only public unicast passes', () => {
    for (const ok of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111']) expect(isPublicAddress(ok), ok).toBe(true);
    for (const bad of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.100.100.200', '0.0.0.0', '::1', 'fe80::1', 'fd00:ec2::254', '::ffff:127.0.0.1', '224.0.0.1', '255.255.255.255']) {
      expect(isPublicAddress(bad), bad).toBe(false);
    }
  });

  it('refuses a loopback address by default', async () => {
    const e = await refusal(`${site.origin}/fr`, { kind: 'html' });
    expect(e.code).toBe('private');
    expect(site.hits.get('/fr') ?? 0).toBe(0);
  });

  it('refuses a host name that resolves to a private address (checked after resolution)', async () => {
    const lookup = ((host: string, _o: unknown, cb: (e: null, a: LookupAddress[]) => void) => cb(null, [{ address: '10.9.8.7', family: 4 }])) as never;
    const e = await refusal('http://news.example/article', { kind: 'html', lookup });
    expect(e.code).toBe('private');
    expect(e.message).toMatch(/news\.example resolves to a private or local address/u);
  });

  it('allows private addresses with allowPrivate (ALLOW_PRIVATE_URLS=1)', async () => {
    const page = await safeFetch(`${site.origin}/fr`, { kind: 'html', allowPrivate: true });
    expect(page.text).toContain('Haiphong');
  });
});

describe('fetching', () => {
  it('fetches an HTML page and follows redirects up to 5', async () => {
    expect((await safeFetch(`${site.origin}/hop2`, html())).url).toBe(`${site.origin}/hop7`);
    const e = await refusal(`${site.origin}/hop0`, html());
    expect(e.code).toBe('redirects');
    expect(e.message).toBe('too many redirects (more than 5)');
  });

  it('refuses a redirect loop', async () => {
    const e = await refusal(`${site.origin}/loop-a`, html());
    expect(e.message).toBe('the page redirects in a loop');
  });

  it('checks every redirect: metadata, private, IPv6 loopback, a name resolving to a private address, file:', async () => {
    expect((await refusal(`${site.origin}/to-metadata`, html())).message).toBe('169.254.169.254 is a private or local address');
    expect((await refusal(`${site.origin}/to-private`, html())).code).toBe('private');
    expect((await refusal(`${site.origin}/to-loopback6`, html())).code).toBe('private');
    const lookup = ((host: string, _o: unknown, cb: (e: null, a: LookupAddress[]) => void) => cb(null, [{ address: host === 'intranet.example' ? '192.168.0.10' : '127.0.0.1', family: 4 }])) as never;
    expect((await refusal(`${site.origin}/to-internal-name`, html({ lookup }))).code).toBe('private');
    expect((await refusal(`${site.origin}/to-file`, html())).code).toBe('scheme');
  });

  it('says what the server answered for 404 and 500', async () => {
    expect((await refusal(`${site.origin}/404`, html())).message).toBe('the server answered 404');
    const e500 = await refusal(`${site.origin}/500`, html());
    expect(e500.message).toBe('the server answered 500');
    expect(e500.transient).toBe(true);
  });

  it('refuses what is not a web page', async () => {
    const e = await refusal(`${site.origin}/doc.pdf`, html());
    expect(e.code).toBe('content-type');
    expect(e.message).toBe('not a web page (application/pdf)');
  });

  it('stops reading at 5 MB, declared or not', async () => {
    const declared = await refusal(`${site.origin}/huge-declared`, html());
    expect(declared.message).toBe('the page is too large (20.0 MB, limit 5.0 MB)');
    const streamed = await refusal(`${site.origin}/huge`, html());
    expect(streamed.code).toBe('too-large');
  });

  it('gives up on a slow server', async () => {
    const e = await refusal(`${site.origin}/slow`, html({ timeoutMs: 500 }));
    expect(e.code).toBe('timeout');
    expect(e.transient).toBe(true);
  });

  it('decodes ISO-8859-1 from the <meta> declaration and from the header', async () => {
    const meta = await safeFetch(`${site.origin}/latin1`, html());
    expect(meta.charset).toBe('iso-8859-1');
    for (const p of LATIN1_EXPECTED) expect(meta.text).toContain(p);
    const header = await safeFetch(`${site.origin}/latin1-header`, html());
    expect(header.text).toContain('Un été à Hanoï, café crème.');
  });
});
