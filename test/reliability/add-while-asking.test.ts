// A large article is added while people ask: every /ask is acknowledged within Discord's 3 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askOptions, startHarness, type Harness } from '../discord/harness.js';
import { largeArticle } from '../web/pages.js';
import { startNewsServer, type NewsServer } from '../web/server.js';
import { isCallback, isOriginalEdit, userFactory, workspace } from './helpers.js';

const user = userFactory('81');
let h: Harness;
let site: NewsServer;

beforeAll(async () => {
  site = await startNewsServer();
  // About 1,200 passages and 3,600 sentences to embed and index.
  site.page('/rapport', largeArticle(300 * 1024));
  const w = await workspace('add-asking-');
  h = await startHarness({ seedsDir: w.seeds, env: { EMBEDDINGS_DIR: w.embeddings, ALLOW_PRIVATE_URLS: '1', COOLDOWN_QUESTIONS: '1000' } });
}, 120_000);

afterAll(async () => {
  await h?.close();
  await site?.close();
});

describe('adding a large article while people ask', () => {
  it('acknowledges every /ask sent every 500 ms during the /add within 3 s, and answers them', async () => {
    const add = h.fake.dispatchInteraction({ name: 'add', options: [{ name: 'url', type: 3, value: `${site.origin}/rapport` }], user: user(), locale: 'en-US', memberPermissions: '32' });
    const asks: { token: string; sentAt: number }[] = [];
    let done = false;
    const finished = h.fake.waitForCall(isOriginalEdit(add.token as string), 300_000).then((call) => {
      done = true;
      return call;
    });
    while (!done) {
      const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('Quand le protocole de coopération en cybersécurité avec Singapour a-t-il été signé ?'), user: user() });
      asks.push({ token: i.token as string, sentAt: Date.now() });
      await new Promise((r) => setTimeout(r, 500));
    }
    const result = (await finished).body as { content: string };
    expect(result.content).toMatch(/^Added: \*\*Rapport annuel sur la qualité de l’eau du Mékong\*\* \(published 2025-06-30, \d{4} passages\)$/u);
    // The add took long enough for the test to mean something.
    expect(asks.length).toBeGreaterThanOrEqual(6);
    const lateness: number[] = [];
    for (const a of asks) {
      const ack = await h.fake.waitForCall(isCallback(a.token), 10_000);
      lateness.push(ack.at - a.sentAt);
      await h.fake.waitForCall(isOriginalEdit(a.token), 30_000);
    }
    expect(Math.max(...lateness), `acknowledgement delays: ${lateness.join(', ')} ms`).toBeLessThan(3_000);
  }, 300_000);
});
