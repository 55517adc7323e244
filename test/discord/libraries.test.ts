import { cp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../tools/fake-discord/index.js';
import { SEEDS_DIR } from '../helpers/seeds.js';
import { makeTempDir } from '../helpers/static-model.js';
import { englishArticle, frenchArticle, rssFeed } from '../web/pages.js';
import { startNewsServer, type NewsServer } from '../web/server.js';
import { askOptions, quoteFromDescription, startHarness, type Harness } from './harness.js';

// Two servers and a DM: what server A adds is A's alone.
let h: Harness;
let site: NewsServer;
let A: string;
const B = '1398765432109876543';
const MANAGE_SERVER = '32';
const QUESTION = 'Quel a été le montant des travaux du terminal de Haiphong ?';

let n = 0;
const user = () => ({ id: `7770000000000${String(++n).padStart(5, '0')}`, username: `lib${n}` });
const callback = (token: string) => (c: RecordedCall) => c.method === 'POST' && c.path.startsWith('/interactions/') && c.path.endsWith(`/${token}/callback`);
const original = (token: string) => (c: RecordedCall) => c.method === 'PATCH' && c.path === `/webhooks/${h.fake.applicationId}/${token}/messages/@original`;
type Embeds = { content?: string; embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[] };

/** The answer an /ask gets in `guildId` (null: a DM), as the quotes' text. */
async function ask(guildId: string | null, question = QUESTION): Promise<{ body: Embeds; quotes: string }> {
  const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions(question), user: user(), locale: 'fr', guildId });
  const body = (await h.fake.waitForCall(original(i.token as string), 15_000)).body as Embeds;
  return { body, quotes: (body.embeds ?? []).map((e) => quoteFromDescription(e.description ?? '')).join(' ') };
}

beforeAll(async () => {
  site = await startNewsServer();
  site.page('/fr', frenchArticle(site.origin));
  const seeds = path.join(await makeTempDir('lib-seeds-'), 'seeds');
  await cp(SEEDS_DIR, seeds, { recursive: true });
  h = await startHarness({ seedsDir: seeds, env: { ALLOW_PRIVATE_URLS: '1' } });
  A = h.fake.guildId;
  const add = h.fake.dispatchInteraction({ name: 'add', options: [{ name: 'url', type: 3, value: `${site.origin}/fr` }], user: user(), locale: 'fr', memberPermissions: MANAGE_SERVER, guildId: A });
  const edit = (await h.fake.waitForCall(original(add.token as string), 30_000)).body as { content: string };
  expect(edit.content).toMatch(/^Ajouté : \*\*Haiphong inaugure un terminal à conteneurs géant\*\*/u);
}, 120_000);

afterAll(async () => {
  await h?.close();
  await site?.close();
});

describe('a library per server', () => {
  it('answers from an article added in server A in A only: never in server B, never in a DM', async () => {
    expect((await ask(A)).quotes).toContain('320 millions d’euros');
    for (const place of [B, null]) {
      const { body, quotes } = await ask(place);
      expect(quotes, String(place)).not.toContain('Haiphong');
      // Nothing of it but the question itself, restated at the top.
      expect(JSON.stringify({ ...body, content: (body.content ?? '').split('\n').slice(1).join('\n') }), String(place)).not.toContain('Haiphong');
    }
    // The shared base still answers everywhere.
    for (const place of [A, B, null]) expect((await ask(place, 'Quand a été signé le mémorandum sur les substances psychotropes ?')).quotes).toContain('psychotropes');
  });

  it('offers A’s article to /source and /cite in A only; a forged context button from B finds nothing', async () => {
    const complete = async (guildId: string | null) => {
      const i = h.fake.dispatchInteraction({ type: 'autocomplete', name: 'source', options: [{ name: 'article', type: 3, value: 'Haiphong', focused: true }], user: user(), guildId });
      return ((await h.fake.waitForCall(callback(i.token as string), 5_000)).body as { data: { choices: { name: string; value: string }[] } }).data.choices;
    };
    const inA = await complete(A);
    expect(inA.map((c) => c.name)).toContain('Haiphong inaugure un terminal à conteneurs géant');
    expect(await complete(B)).toEqual([]);
    expect(await complete(null)).toEqual([]);
    const id = inA[0]!.value;
    const cite = async (guildId: string | null) => {
      const i = h.fake.dispatchInteraction({ name: 'cite', options: [{ name: 'article', type: 3, value: id }], user: user(), locale: 'fr', guildId });
      return ((await h.fake.waitForCall(callback(i.token as string), 5_000)).body as { data: { content: string } }).data.content;
    };
    expect(await cite(A)).toContain('Haiphong');
    expect(await cite(B)).toBe('Aucun article ne porte ce titre. Choisissez-en un dans la liste.');
    // A context button of A's answer, pressed (or forged) in B.
    const answer = h.fake.dispatchInteraction({ name: 'ask', options: askOptions(QUESTION), user: user(), locale: 'fr', guildId: A });
    await h.fake.waitForCall(original(answer.token as string), 15_000);
    const patch = h.fake.findCalls(`PATCH /webhooks/:app/${answer.token as string}/messages/@original`)[0]!;
    const button = (patch.body as { components: { components: { custom_id: string }[] }[] }).components[0]!.components[0]!.custom_id;
    const press = async (guildId: string) => {
      const i = h.fake.dispatchInteraction({ type: 'component', customId: button, message: { id: '123456789012345999', content: '' }, user: user(), locale: 'fr', guildId });
      return (await h.fake.waitForCall(callback(i.token as string), 5_000)).body as { data: Embeds };
    };
    expect(JSON.stringify((await press(A)).data)).toContain('Haiphong');
    expect((await press(B)).data.content).toBe('Ce passage n’est plus dans l’index (les articles ont été mis à jour). Reposez la question.');
  });

  it('re-adding in B a link A holds says "Added" for B, never "unchanged": nothing tells B what A follows', async () => {
    const add = h.fake.dispatchInteraction({ name: 'add', options: [{ name: 'url', type: 3, value: `${site.origin}/fr` }], user: user(), locale: 'fr', memberPermissions: MANAGE_SERVER, guildId: B });
    const edit = (await h.fake.waitForCall(original(add.token as string), 30_000)).body as { content: string };
    expect(edit.content).toMatch(/^Ajouté : \*\*Haiphong inaugure un terminal à conteneurs géant\*\*/u);
    // Then removed again, so B is as the other tests expect it.
    const rm = h.fake.dispatchInteraction({ name: 'remove', options: [{ name: 'article', type: 3, value: 'Haiphong inaugure un terminal à conteneurs géant' }], user: user(), locale: 'fr', memberPermissions: MANAGE_SERVER, guildId: B });
    expect(((await h.fake.waitForCall(original(rm.token as string), 30_000)).body as { content: string }).content).toMatch(/^Retiré/u);
  });

  it('counts A’s articles in A’s /about only', async () => {
    const about = async (guildId: string | null) => {
      const i = h.fake.dispatchInteraction({ name: 'about', user: user(), locale: 'en-US', guildId });
      const fields = ((await h.fake.waitForCall(callback(i.token as string), 5_000)).body as { data: Embeds }).data.embeds![0]!.fields!;
      return Number(fields.find((f) => f.name === 'Articles')!.value);
    };
    const [a, b, dm] = [await about(A), await about(B), await about(null)];
    expect(a).toBeGreaterThan(b);
    expect(b).toBe(dm);
    const own = async (guildId: string | null) => {
      const i = h.fake.dispatchInteraction({ name: 'about', user: user(), locale: 'en-US', guildId });
      return ((await h.fake.waitForCall(callback(i.token as string), 5_000)).body as { data: Embeds }).data.embeds![0]!.fields!.find((f) => f.name === 'This server’s own library')?.value;
    };
    expect(await own(A)).toMatch(/^1 articles, \d+ passages /u);
    expect(await own(B)).toBe('none yet: add articles with /add or /feed add (Manage Server)');
    expect(await own(null)).toBeUndefined();
  });

  it('Find sources in B does not quote A’s article', async () => {
    const message = h.fake.dispatchMessage({ content: 'Les travaux du terminal de Haiphong ont coûté 320 millions d’euros.', author: user(), guildId: B });
    const i = h.fake.dispatchInteraction({ name: 'Find sources', commandType: 3, user: user(), locale: 'fr', guildId: B, data: { target_id: message.id, resolved: { messages: { [String(message.id)]: message } } } });
    await h.fake.waitForCall(callback(i.token as string), 5_000);
    // Shown to the member who asked (the default).
    const reply = await h.fake.waitForCall(original(i.token as string), 10_000);
    expect(JSON.stringify(reply.body)).toMatch(/Citations|Les articles/u);
    expect(JSON.stringify(reply.body)).not.toContain('320 millions');
  });

  it('/remove in B cannot touch A’s article; in A it removes it, and A stops quoting it', async () => {
    const complete = async (guildId: string) => {
      const i = h.fake.dispatchInteraction({ type: 'autocomplete', name: 'remove', options: [{ name: 'article', type: 3, value: 'Haiphong', focused: true }], user: user(), guildId, memberPermissions: MANAGE_SERVER });
      return ((await h.fake.waitForCall(callback(i.token as string), 5_000)).body as { data: { choices: { name: string; value: string }[] } }).data.choices;
    };
    const [own] = await complete(A);
    expect(own!.name).toBe('Haiphong inaugure un terminal à conteneurs géant');
    expect(await complete(B)).toEqual([]);
    const remove = async (guildId: string, value: string) => {
      const i = h.fake.dispatchInteraction({ name: 'remove', options: [{ name: 'article', type: 3, value }], user: user(), locale: 'fr', memberPermissions: MANAGE_SERVER, guildId });
      return ((await h.fake.waitForCall(original(i.token as string), 30_000)).body as { content: string }).content;
    };
    expect(await remove(B, own!.value)).toMatch(/^La bibliothèque de ce serveur ne contient pas cet article/u);
    // A shared-base article cannot be removed from a server either.
    expect(await remove(A, 'Vietnam-Russie : renforcement des relations de coopération dans la sécurité')).toMatch(/^La bibliothèque de ce serveur ne contient pas cet article/u);
    expect(await remove(A, own!.value)).toBe('Retiré de la bibliothèque de ce serveur : **Haiphong inaugure un terminal à conteneurs géant**.');
    expect((await ask(A)).quotes).not.toContain('320 millions');
  });

  it('/feed add with a channel: the feed’s archive is saved unannounced, a new item is announced once in A’s channel only, not again after a restart', async () => {
    const feedUrl = `${site.origin}/rss.xml`;
    site.page('/rss.xml', rssFeed(site.origin, [{ path: '/fr', title: 'Haiphong', pubDate: 'Tue, 14 Oct 2025 03:00:00 GMT' }]), 'application/rss+xml');
    const follow = h.fake.dispatchInteraction({ name: 'feed', options: [{ name: 'add', type: 1, options: [{ name: 'url', type: 3, value: feedUrl }, { name: 'channel', type: 7, value: h.fake.channelId }] }], user: user(), locale: 'en-US', memberPermissions: MANAGE_SERVER, guildId: A });
    expect(((await h.fake.waitForCall(original(follow.token as string), 10_000)).body as { content: string }).content).toBe(`Following <${feedUrl}>; new articles will be announced in <#${h.fake.channelId}>.`);
    const posts = () => h.fake.findCalls('POST /channels/:channel/messages').filter((c) => !(c.body as { message_reference?: unknown }).message_reference);
    const before = posts().length;
    await h.engine.library(A).runFeeds();
    expect(posts().length).toBe(before);
    // A new item appears.
    site.page('/en', englishArticle(site.origin));
    site.page('/rss.xml', rssFeed(site.origin, [{ path: '/en', title: 'Port', pubDate: 'Thu, 16 Oct 2025 03:00:00 GMT' }, { path: '/fr', title: 'Haiphong', pubDate: 'Tue, 14 Oct 2025 03:00:00 GMT' }]), 'application/rss+xml');
    await h.engine.library(A).runFeeds();
    const announced = posts().slice(before);
    expect(announced).toHaveLength(1);
    expect(announced[0]!.path).toBe(`/channels/${h.fake.channelId}/messages`);
    const body = announced[0]!.body as { content: string; embeds: { title: string; description: string }[]; allowed_mentions: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const article = (await h.engine.library(A).findArticle(body.embeds[0]!.title.replace(/\\/gu, '')))!;
    expect(article).not.toBeNull();
    expect(quoteFromDescription(body.embeds[0]!.description)).toBe(article.paragraphs.flat()[0]);
    // Its article is answered in A, never in B.
    expect((await h.engine.library(B).findArticle(article.id))).toBeNull();
    // Another pass: nothing new, nothing announced.
    await h.engine.library(A).runFeeds();
    expect(posts().slice(before)).toHaveLength(1);
    // /feed list, then remove.
    const list = h.fake.dispatchInteraction({ name: 'feed', options: [{ name: 'list', type: 1 }], user: user(), locale: 'en-US', memberPermissions: MANAGE_SERVER, guildId: A });
    expect(((await h.fake.waitForCall(original(list.token as string), 10_000)).body as { content: string }).content).toMatch(new RegExp(`<${feedUrl.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&')}> · 2 articles · last success .* · announced in <#${h.fake.channelId}>`, 'u'));
    const inB = h.fake.dispatchInteraction({ name: 'feed', options: [{ name: 'list', type: 1 }], user: user(), locale: 'en-US', memberPermissions: MANAGE_SERVER, guildId: B });
    expect(((await h.fake.waitForCall(original(inB.token as string), 10_000)).body as { content: string }).content).toBe('This server follows no feeds. Add one with /feed add.');
  });

  it('/settings in B: its language, private answers and an adding role apply in B only', async () => {
    const ROLE = '1444444444444444444';
    const set = h.fake.dispatchInteraction({ name: 'settings', options: [{ name: 'language', type: 3, value: 'en' }, { name: 'answers', type: 3, value: 'private' }, { name: 'add_role', type: 8, value: ROLE }], user: user(), locale: 'fr', memberPermissions: MANAGE_SERVER, guildId: B });
    const reply = ((await h.fake.waitForCall(callback(set.token as string), 5_000)).body as { data: { content: string; flags: number } }).data;
    expect(reply.content).toBe(`This server’s settings: language English; answers to /ask seen by the asker only; Find sources seen by the asker only; articles and feeds added by Manage Server and <@&${ROLE}>.`);
    expect(reply.flags & 64).toBe(64);
    // A French member's /ask in B: deferred privately, answered in English.
    const q = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('Quand a été signé le mémorandum sur les substances psychotropes ?'), user: user(), locale: 'fr', guildId: B });
    const ack = (await h.fake.waitForCall(callback(q.token as string), 5_000)).body as { type: number; data?: { flags?: number } };
    expect(ack.data?.flags ?? 0).toBe(64);
    expect(((await h.fake.waitForCall(original(q.token as string), 15_000)).body as { content: string }).content).toMatch(/\nFrom the articles:$/u);
    // In A, as before: public, in the member's language.
    const qa = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('Quand a été signé le mémorandum sur les substances psychotropes ?'), user: user(), locale: 'fr', guildId: A });
    expect((((await h.fake.waitForCall(callback(qa.token as string), 5_000)).body as { data?: { flags?: number } }).data?.flags ?? 0) & 64).toBe(0);
    expect(((await h.fake.waitForCall(original(qa.token as string), 15_000)).body as { content: string }).content).toMatch(/\nD’après les articles :$/u);
    // A member with the role, without Manage Server, may follow a feed in B (not in A).
    const feedIn = async (guildId: string) => {
      const i = h.fake.dispatchInteraction({ name: 'feed', options: [{ name: 'list', type: 1 }], user: user(), locale: 'en-US', roles: [ROLE], guildId });
      const call = await h.fake.waitForCall((c) => (c.method === 'POST' && c.path.endsWith(`/${i.token as string}/callback`)) || (c.method === 'PATCH' && c.path.includes(`/${i.token as string}/messages`)), 10_000);
      return call.method === 'PATCH' ? (call.body as { content: string }).content : ((call.body as { data?: { content?: string }; type: number }).data?.content ?? 'deferred');
    };
    expect(await feedIn(A)).toBe('Only members with the Manage Server permission can do this.');
    expect(await feedIn(B)).not.toBe('Only members with the Manage Server permission can do this.');
  });

  it('/settings threads:true makes every public /ask in that server answer in a new thread', async () => {
    const set = async (value: boolean) => {
      const i = h.fake.dispatchInteraction({ name: 'settings', options: [{ name: 'threads', type: 5, value }], user: user(), locale: 'en-US', memberPermissions: MANAGE_SERVER, guildId: A });
      return ((await h.fake.waitForCall(callback(i.token as string), 5_000)).body as { data: { content: string } }).data.content;
    };
    expect(await set(true)).toMatch(/seen by everyone in the channel, each in a new thread;/u);
    const mark = h.fake.mark();
    const q = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('Qui a reçu les chefs de délégation ?'), user: user(), locale: 'fr', guildId: A });
    await h.fake.waitForCall(original(q.token as string), 15_000);
    const thread = await h.fake.waitForCall((c) => c.method === 'POST' && /\/threads$/u.test(c.path), 10_000, { since: mark });
    expect((thread.body as { name: string }).name).toBe('Qui a reçu les chefs de délégation ?');
    expect(await set(false)).not.toMatch(/thread/u);
  });

  it('"help" in a mention, "aide" in /ask and /help explain the bot with examples from this server’s titles, pinging nobody', async () => {
    const message = h.fake.dispatchMessage({ content: `<@${h.fake.botUser.id}> help`, author: user(), guildId: A });
    const reply = await h.fake.waitForCall((c) => c.method === 'POST' && /^\/channels\/\d+\/messages$/u.test(c.path) && (c.body as { message_reference?: { message_id?: string } }).message_reference?.message_id === String(message.id), 10_000);
    const body = reply.body as { content: string; allowed_mentions: { parse: unknown[] } };
    expect(body.content).toMatch(/^I answer questions about the articles by quoting them/u);
    expect(body.content.match(/^• \/ask question: What do the articles say about “.+”\?$/gmu)).toHaveLength(3);
    expect(body.content).toContain('/feed');
    expect(body.allowed_mentions.parse).toEqual([]);
    const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('aide'), user: user(), locale: 'fr', guildId: A });
    const fr = ((await h.fake.waitForCall(callback(i.token as string), 5_000)).body as { data: { content: string; flags: number } }).data;
    expect(fr.content).toMatch(/^Je réponds aux questions sur les articles/u);
    expect(fr.flags & 64).toBe(64);
    const slash = h.fake.dispatchInteraction({ name: 'help', user: user(), locale: 'fr', guildId: A });
    expect(((await h.fake.waitForCall(callback(slash.token as string), 5_000)).body as { data: { content: string } }).data.content).toBe(fr.content);
  });

  it('"quoi de neuf ?" and /news list the newest articles this place sees, newest first, never another server’s', async () => {
    const newsIn = async (guildId: string | null) => {
      const i = h.fake.dispatchInteraction({ name: 'news', user: user(), locale: 'fr', guildId });
      return (await h.fake.waitForCall(original(i.token as string), 15_000)).body as { content: string; embeds: { title: string; description: string; fields: { name: string; value: string }[] }[] };
    };
    const inA = await newsIn(A);
    expect(inA.content).toBe('Les articles les plus récents, du plus récent au plus ancien :');
    const dates = inA.embeds.map((e) => e.fields.find((f) => f.name === 'Date')!.value.slice(0, 10));
    expect([...dates].sort().reverse()).toEqual(dates);
    // A's feed brought an English article dated 2025-10-09: in A's news, not in B's.
    expect(inA.embeds.some((e) => e.title.includes('Da Nang'))).toBe(true);
    expect((await newsIn(B)).embeds.some((e) => e.title.includes('Da Nang'))).toBe(false);
    const q = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('quoi de neuf ?'), user: user(), locale: 'fr', guildId: A });
    expect(((await h.fake.waitForCall(original(q.token as string), 15_000)).body as { content: string }).content).toBe(inA.content);
  });

  it('/summary and "résume l’article sur …" quote the article’s own sentences, verbatim, in its order', async () => {
    const i = h.fake.dispatchInteraction({ name: 'summary', options: [{ name: 'article', type: 3, value: '003_c9ff3885ea96f6c4.txt' }], user: user(), locale: 'fr', guildId: A });
    const body = ((await h.fake.waitForCall(callback(i.token as string), 5_000)).body as { data: { content: string; embeds: { description: string }[] } }).data;
    expect(body.content).toBe('Résumé : les phrases de l’article qui le couvrent le mieux, mot pour mot, dans son ordre.');
    const quotes = body.embeds[0]!.description.split('\n\n').map((q) => quoteFromDescription(q));
    expect(quotes.length).toBeGreaterThanOrEqual(3);
    const article = (await h.engine.library(A).findArticle('003_c9ff3885ea96f6c4.txt'))!;
    const positions = quotes.map((q) => article.paragraphs.flat().indexOf(q));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const q = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('résume l’article sur Singapour'), user: user(), locale: 'fr', guildId: A });
    expect(((await h.fake.waitForCall(original(q.token as string), 15_000)).body as { content: string }).content).toBe(body.content);
  });
});

