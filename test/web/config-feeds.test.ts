import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('feed configuration', () => {
  it('reads FEEDS, FEED_INTERVAL, FEED_BATCH and ALLOW_PRIVATE_URLS with their defaults', () => {
    const d = loadConfig({});
    expect(d.FEEDS).toEqual([]);
    expect(d.FEED_INTERVAL).toBe(30 * 60_000);
    expect(d.FEED_BATCH).toBe(20);
    expect(d.ALLOW_PRIVATE_URLS).toBe(false);
    const c = loadConfig({ FEEDS: 'https://a.example/rss.xml, https://b.example/atom\nhttps://a.example/rss.xml', FEED_INTERVAL: '1h', ALLOW_PRIVATE_URLS: '1' });
    expect(c.FEEDS).toEqual(['https://a.example/rss.xml', 'https://b.example/atom']);
    expect(c.FEED_INTERVAL).toBe(3_600_000);
    expect(c.ALLOW_PRIVATE_URLS).toBe(true);
    expect(loadConfig({ FEED_INTERVAL: '45' }).FEED_INTERVAL).toBe(45 * 60_000);
    expect(loadConfig({ FEED_INTERVAL: '90s' }).FEED_INTERVAL).toBe(90_000);
  });

  it('refuses bad values with one line each', () => {
    const error = (() => {
      try {
        loadConfig({ FEEDS: 'ftp://x.example/feed', FEED_INTERVAL: 'soon' });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message.split('\n')).toEqual([
      'FEEDS: must be http(s) feed URLs separated by commas or spaces',
      'FEED_INTERVAL: must be a duration such as 30m, 1h or 90s (a bare number means minutes)',
    ]);
  });
});
