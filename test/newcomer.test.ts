/** What a newcomer sees first: counts they can check against seeds/, and log lines they can read. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { corpusCounts } from '../src/cli/output.js';
import { createLogger, terminalLines } from '../src/logger.js';

describe('first impressions', () => {
  it('counts files, articles and related-article blurbs apart ("5 files, 12 articles (7 related-article blurbs)")', () => {
    const articles = [
      ...['a', 'b', 'c', 'd', 'e'].map((f) => ({ file: `${f}.txt`, kind: 'article' })),
      ...Array.from({ length: 7 }, () => ({ file: 'c.txt', kind: 'related' })),
    ];
    expect(corpusCounts(articles)).toBe('5 files, 12 articles (7 related-article blurbs)');
    expect(corpusCounts([{ file: 'a.txt', kind: 'article' }])).toBe('1 file, 1 article');
  });

  it('writes readable lines for a terminal, with the token still scrubbed', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const logger = createLogger('info', 'secret-token-123', terminalLines(out));
    logger.info({ guild: 'global' }, 'bot ready with secret-token-123');
    await new Promise((r) => setTimeout(r, 50));
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: bot ready with \[redacted\]/u);
    expect(text).toContain('guild: "global"');
    expect(() => JSON.parse(text.split('\n')[0]!)).toThrow();
  });
});
