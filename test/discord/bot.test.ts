import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, LibraryScope } from '../../src/engine/index.js';
import { CorpusUnavailableError } from '../../src/core/store/corpus-unavailable.js';
import type { RecordedCall } from '../../tools/fake-discord/index.js';
import { SEED, SEEDS_DIR, normalisedSeed } from '../helpers/seeds.js';
import { makeTempDir } from '../helpers/static-model.js';
import { TOKEN, askOptions, quoteFromDescription, startHarness, type Harness } from './harness.js';

let h: Harness;
let seeds: string;
const BOOM = 'this question makes the engine fail';
const UNAVAILABLE = 'this question finds the corpus database unreachable';
const LONG = 'give me a very long answer';
const EVERYONE_SENTENCE = 'Le porte-parole a écrit @everyone et <@&112233445566778899> dans un message sur les volcans islandais.';

beforeAll(async () => {
  // The seeds plus one article whose text pings everyone, to check quotes never ping.
  seeds = path.join(await makeTempDir('bot-seeds-'), 'seeds');
  await cp(SEEDS_DIR, seeds, { recursive: true });
  await writeFile(path.join(seeds, 'pings.txt'), `date 2025-01 ${EVERYONE_SENTENCE} Il a ensuite parlé d'autre chose.`);
  h = await startHarness({
    seedsDir: seeds,
    engine: (real) => {
      const e = Object.create(real) as Engine;
      // A handler error on demand: the engine fails for one question.
      e.ask = async (q, o) => {
        if (q === BOOM) throw new Error('engine exploded');
        if (q === UNAVAILABLE) throw new CorpusUnavailableError('the corpus database (bot@db:5432/news) is not reachable yet');
        if (q !== LONG) return real.ask(q, o);
        // Three whole articles as quotes: far beyond one message.
        const articles = real.corpus.articles.filter((a) => a.kind === 'article').slice(2, 5);
        const answer = await real.ask('Qui a reçu les chefs de délégation ?', o);
        return { ...answer, results: articles.map((a, i) => ({ ...answer.results[0]!, quote: a.paragraphs.flat().join(' '), title: a.title, position: i })) };
      };
      // The bot asks through the server's library: the same failures there.
      e.library = (id) => Object.assign(Object.create(real.library(id)) as LibraryScope, { ask: e.ask });
      return e;
    },
  });
}, 120_000);

afterAll(async () => {
  await h?.close();
  // Security: the token appears in no log line.
  expect(h.logs.join('\n')).not.toContain(TOKEN);
});

let userCount = 0;
/** A new user per interaction, so the per-user cooldown only bites where a test wants it. */
const freshUser = () => ({ id: `1234567890123${String(++userCount).padStart(5, '0')}`, username: `user${userCount}` });

const callback = (token: string) => (c: RecordedCall) => c.method === 'POST' && c.path.startsWith('/interactions/') && c.path.endsWith(`/${token}/callback`);
const original = (token: string) => (c: RecordedCall) => c.method === 'PATCH' && c.path === `/webhooks/${h.fake.applicationId}/${token}/messages/@original`;
const followUps = (token: string) => (c: RecordedCall) => c.method === 'POST' && c.path === `/webhooks/${h.fake.applicationId}/${token}`;

describe('start-up', () => {
  it('registers the commands for the configured server', () => {
    const put = h.fake.findCalls(`PUT /applications/:app/guilds/${h.fake.guildId}/commands`)[0]!;
    expect((put.body as { name: string }[]).map((c) => c.name).sort()).toEqual(['Find sources', 'about', 'add', 'ask', 'cite', 'feed', 'help', 'news', 'reindex', 'remove', 'settings', 'source', 'summary']);
    const reindex = (put.body as { name: string; default_member_permissions?: string }[]).find((c) => c.name === 'reindex')!;
    expect(reindex.default_member_permissions).toBe('32'); // Manage Server
  });
});

describe('/ask', () => {
  it('defers, then edits the reply with a verbatim quote and its date', async () => {
    const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('Quand le protocole de coopération en cybersécurité avec Singapour a-t-il été signé ?'), locale: 'fr', user: freshUser() });
    const ack = await h.fake.waitForCall(callback(i.token as string), 3_000);
    expect((ack.body as { type: number }).type).toBe(5);
    const edit = await h.fake.waitForCall(original(i.token as string), 10_000);
    const body = edit.body as { content: string; embeds: { description: string; fields: { name: string; value: string }[]; title: string }[]; allowed_mentions: unknown };
    // The question first, for everyone in the channel, then the heading.
    expect(body.content).toBe('**Quand le protocole de coopération en cybersécurité avec Singapour a-t-il été signé ?**\nD’après les articles :');
    const first = body.embeds[0]!;
    const quote = quoteFromDescription(first.description);
    expect(normalisedSeed(SEED.singapore)).toContain(quote);
    expect(quote).toContain('17 octobre 2022');
    // The publication date, labelled as such, and apart from it the date the sentence states.
    expect(first.fields.find((f) => f.name === 'Publication')!.value).toBe('2023-11');
    expect(first.fields.find((f) => f.name === 'Date dans la citation')!.value).toBe('2022-10-17 (« le 17 octobre 2022 »)');
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(edit.status).toBeLessThan(300);
    expect(ack.at).toBeLessThanOrEqual(edit.at);
  });

  it('replies in English for an English locale, quotes untranslated', async () => {
    const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('When did the South African president Ramaphosa arrive in Hanoi?'), locale: 'en-US', user: freshUser() });
    const body = (await h.fake.waitForCall(original(i.token as string), 10_000)).body as { content: string; embeds: { description: string }[] };
    expect(body.content).toMatch(/\nFrom the articles:$/u);
    expect(quoteFromDescription(body.embeds[0]!.description)).toMatch(/est arrivé à Hanoï/u);
  });

  it('says briefly when the corpus does not answer', async () => {
    const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('Quelle est la recette de la tarte aux pommes ?'), locale: 'fr', user: freshUser() });
    const body = (await h.fake.waitForCall(original(i.token as string), 10_000)).body as { content: string; embeds?: unknown[] };
    expect(body.content).toMatch(/\nRien dans les articles ne répond à cette question/u);
    expect(body.embeds ?? []).toEqual([]);
  });

  it('pings nobody, for @everyone in a question or in a quoted source', async () => {
    const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('@everyone qui a écrit un message sur les volcans islandais ?'), user: freshUser() });
    const edit = await h.fake.waitForCall(original(i.token as string), 10_000);
    const body = edit.body as { embeds: { description: string }[]; allowed_mentions: unknown };
    expect(quoteFromDescription(body.embeds[0]!.description)).toContain('@everyone');
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const response = edit.response as { mention_everyone: boolean; mentions: unknown[]; mention_roles: unknown[] };
    expect(response.mention_everyone).toBe(false);
    expect(response.mentions).toEqual([]);
    expect(response.mention_roles).toEqual([]);
  });

  it('says "temporarily unavailable", ephemerally, while the corpus database is out of reach', async () => {
    const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions(UNAVAILABLE), locale: 'fr', user: freshUser() });
    const reply = await h.fake.waitForCall(followUps(i.token as string), 10_000);
    const body = reply.body as { content: string; flags: number };
    expect(body.content).toMatch(/^Les articles sont momentanément indisponibles/u);
    expect(body.content).not.toMatch(/db:5432|bot@/u);
    expect(body.flags & 64).toBe(64);
  });

  it('answers a failing handler with a short ephemeral error and keeps serving', async () => {
    const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions(BOOM), locale: 'en-US', user: freshUser() });
    const err = await h.fake.waitForCall(followUps(i.token as string), 10_000);
    const body = err.body as { content: string; flags: number };
    expect(body.content).toMatch(/^Something went wrong/u);
    expect(body.content).not.toMatch(/exploded|Error|at /u);
    expect(body.flags & 64).toBe(64);
    const next = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('Qui a reçu les chefs de délégation ?'), user: freshUser() });
    expect((await h.fake.waitForCall(original(next.token as string), 10_000)).status).toBeLessThan(300);
  });

  it('answers with whole-article quotes in one message within Discord limits, each cut to its opening', async () => {
    const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions(LONG), user: freshUser() });
    const token = i.token as string;
    const edit = await h.fake.waitForCall(original(token), 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.findCalls(followUps(token))).toEqual([]);
    // The fake answers 400 to anything over a limit, as Discord does.
    expect(edit.status, JSON.stringify(edit.response)).toBeLessThan(300);
    const body = edit.body as { content?: string; embeds?: { description?: string }[] };
    expect(body.embeds!.length).toBe(3);
    for (const e of body.embeds!) {
      expect(e.description!).toMatch(/ \[…\]$/u);
      expect(quoteFromDescription(e.description!).length).toBeLessThanOrEqual(410);
    }
  });

  it('refuses an empty question with an ephemeral hint', async () => {
    const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions(' \u200b '), locale: 'en-US', user: freshUser() });
    const reply = await h.fake.waitForCall(callback(i.token as string), 5_000);
    const body = reply.body as { type: number; data: { content: string; flags: number } };
    expect(body.type).toBe(4);
    expect(body.data.flags & 64).toBe(64);
    expect(body.data.content).toMatch(/^Ask me a question/u);
  });

  it('enforces the per-user cooldown with a friendly ephemeral message', async () => {
    const user = { id: '123456789012345601', username: 'eager' };
    const tokens = Array.from({ length: 6 }, () => h.fake.dispatchInteraction({ name: 'ask', options: askOptions('Qui a reçu les chefs de délégation ?'), user, locale: 'en-US' }).token as string);
    const acks = await Promise.all(tokens.map((t) => h.fake.waitForCall(callback(t), 5_000)));
    const deferred = acks.filter((a) => (a.body as { type: number }).type === 5);
    const refused = acks.filter((a) => (a.body as { type: number }).type === 4);
    expect(deferred).toHaveLength(5);
    expect(refused).toHaveLength(1);
    const data = (refused[0]!.body as { data: { content: string; flags: number } }).data;
    expect(data.content).toMatch(/try again in \d+ s/u);
    expect(data.flags & 64).toBe(64);
  });

  it('answers 50 interactions at once', async () => {
    const tokens = Array.from({ length: 50 }, (_, n) =>
      h.fake.dispatchInteraction({ name: 'ask', options: askOptions('Quand a été signé le mémorandum sur les substances psychotropes ?'), user: { id: `1234567890123457${String(n).padStart(2, '0')}` } }).token as string,
    );
    const edits = await Promise.all(tokens.map((t) => h.fake.waitForCall(original(t), 30_000)));
    for (const e of edits) {
      expect(e.status).toBeLessThan(300);
      expect(quoteFromDescription((e.body as { embeds: { description: string }[] }).embeds[0]!.description)).toContain('psychotropes');
    }
  });
});

describe('mentions', () => {
  it('answers a question that mentions the bot, as a reply that pings nobody', async () => {
    const mark = h.fake.mark();
    const m = h.fake.dispatchMessage({ content: `<@${h.fake.botUser.id}> @everyone quand a été signée la convention sur les psychotropes ?`, author: freshUser() });
    const reply = await h.fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${h.fake.channelId}/messages`, 10_000, { since: mark });
    const body = reply.body as { message_reference: { message_id: string }; embeds: { description: string }[]; allowed_mentions: { parse: unknown[] } };
    expect(body.message_reference.message_id).toBe(m.id);
    expect(body.allowed_mentions.parse).toEqual([]);
    expect((reply.response as { mention_everyone: boolean }).mention_everyone).toBe(false);
    expect(quoteFromDescription(body.embeds[0]!.description)).toContain('psychotropes');
  });

  it('answers a reply to one of its answers', async () => {
    const mark = h.fake.mark();
    h.fake.dispatchMessage({ content: `<@${h.fake.botUser.id}> Qui a reçu les chefs de délégation ?`, author: freshUser() });
    const first = await h.fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${h.fake.channelId}/messages`, 10_000, { since: mark });
    const botMessage = first.response as { id: string };
    const mark2 = h.fake.mark();
    h.fake.dispatchMessage({ content: 'Et quand le président sud-africain est-il arrivé à Hanoï ?', replyTo: botMessage.id, author: freshUser() });
    const second = await h.fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${h.fake.channelId}/messages`, 10_000, { since: mark2 });
    expect(quoteFromDescription((second.body as { embeds: { description: string }[] }).embeds[0]!.description)).toContain('Ramaphosa');
  });

  it('follows up: a reply "Et quand ?" to one of its answers is read with that answer’s question, and says so', async () => {
    const mark = h.fake.mark();
    h.fake.dispatchMessage({ content: `<@${h.fake.botUser.id}> Qui a reçu les chefs de délégation ?`, author: freshUser() });
    const first = await h.fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${h.fake.channelId}/messages`, 10_000, { since: mark });
    const mark2 = h.fake.mark();
    // Someone else replies to the answer: the reply continues that answer.
    h.fake.dispatchMessage({ content: 'Et quand ?', replyTo: (first.response as { id: string }).id, author: freshUser() });
    const second = await h.fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${h.fake.channelId}/messages`, 10_000, { since: mark2 });
    const body = second.body as { content: string; embeds: { description: string }[]; allowed_mentions: { parse: unknown[] } };
    expect(body.content).toContain('Suite de « Qui a reçu les chefs de délégation ? »');
    expect(quoteFromDescription(body.embeds[0]!.description)).toContain('25 octobre');
    expect(body.allowed_mentions.parse).toEqual([]);
  });

  it('follows up on a mention right after it answered the same person in the same channel, not on someone else’s', async () => {
    const asker = freshUser();
    const mark = h.fake.mark();
    h.fake.dispatchMessage({ content: `<@${h.fake.botUser.id}> Qui a reçu les chefs de délégation ?`, author: asker });
    await h.fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${h.fake.channelId}/messages`, 10_000, { since: mark });
    const mark2 = h.fake.mark();
    h.fake.dispatchMessage({ content: `<@${h.fake.botUser.id}> Et quand ?`, author: asker });
    const own = await h.fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${h.fake.channelId}/messages`, 10_000, { since: mark2 });
    expect((own.body as { content: string }).content).toContain('Suite de « Qui a reçu les chefs de délégation ? »');
    const mark3 = h.fake.mark();
    h.fake.dispatchMessage({ content: `<@${h.fake.botUser.id}> Et quand ?`, author: freshUser() });
    const other = await h.fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${h.fake.channelId}/messages`, 10_000, { since: mark3 });
    expect((other.body as { content?: string }).content ?? '').not.toContain('Suite de');
  });

  it('a mention over the cooldown gets a short notice that deletes itself', async () => {
    const eager = freshUser();
    const mark = h.fake.mark();
    for (let n = 0; n < 6; n++) h.fake.dispatchMessage({ content: `<@${h.fake.botUser.id}> Qui a reçu les chefs de délégation ?`, author: eager });
    const posts = await h.fake.waitForCalls((c) => c.method === 'POST' && c.path === `/channels/${h.fake.channelId}/messages`, 6, 15_000, { since: mark });
    const notices = posts.filter((p) => /try again in \d+ s|réessayez dans \d+ s/iu.test((p.body as { content?: string }).content ?? ''));
    expect(notices).toHaveLength(1);
    const id = (notices[0]!.response as { id: string }).id;
    await h.fake.waitForCall((c) => c.method === 'DELETE' && c.path === `/channels/${h.fake.channelId}/messages/${id}`, 5_000, { since: mark });
  });

  it('ignores messages that do not mention it', async () => {
    const mark = h.fake.mark();
    h.fake.dispatchMessage({ content: 'Quand a été signée la convention ?', author: freshUser() });
    await new Promise((r) => setTimeout(r, 500));
    expect(h.fake.findCalls((c) => c.method === 'POST' && c.path.startsWith('/channels/'), { since: mark })).toEqual([]);
  });
});

describe('/source, /about and context', () => {
  it('autocompletes article titles, accent-insensitively', async () => {
    const i = h.fake.dispatchInteraction({ type: 'autocomplete', name: 'source', options: [{ name: 'article', type: 3, value: 'securite', focused: true }], user: freshUser() });
    const body = (await h.fake.waitForCall(callback(i.token as string), 5_000)).body as { type: number; data: { choices: { name: string; value: string }[] } };
    expect(body.type).toBe(8);
    expect(body.data.choices.length).toBeGreaterThan(0);
    expect(body.data.choices.length).toBeLessThanOrEqual(25);
    // Titles that hold the word first; then articles that hold it elsewhere (their opening paragraph).
    const inTitle = body.data.choices.map((c) => c.name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().includes('securite'));
    expect(inTitle[0]).toBe(true);
    expect(inTitle.indexOf(false) === -1 || inTitle.slice(inTitle.indexOf(false)).every((x) => !x)).toBe(true);
  });

  it('autocompletes on words anywhere in the title, file, date or first paragraph, and takes a typed value that names one article', async () => {
    const i = h.fake.dispatchInteraction({ type: 'autocomplete', name: 'source', options: [{ name: 'article', type: 3, value: 'singap', focused: true }], user: freshUser() });
    const choices = ((await h.fake.waitForCall(callback(i.token as string), 5_000)).body as { data: { choices: { name: string; value: string }[] } }).data.choices;
    expect(choices.map((c) => c.value)).toContain(SEED.singapore);
    // Typed, not picked: the one article with those words.
    const typed = h.fake.dispatchInteraction({ name: 'source', options: [{ name: 'article', type: 3, value: 'Teo Chee Hean' }], user: freshUser(), locale: 'fr' });
    const body = (await h.fake.waitForCall(callback(typed.token as string), 5_000)).body as { data: { content?: string; embeds?: { description: string }[] } };
    expect(body.data.content ?? '').not.toMatch(/Aucun article/u);
    expect(quoteFromDescription(body.data.embeds![0]!.description)).toContain('Teo Chee Hean');
  });

  it('shows an article with title, date, link and an excerpt', async () => {
    const i = h.fake.dispatchInteraction({ name: 'source', options: [{ name: 'article', type: 3, value: SEED.convention }], user: freshUser() });
    const body = (await h.fake.waitForCall(callback(i.token as string), 5_000)).body as { data: { embeds: { url: string; description: string; fields: { value: string }[] }[] } };
    const e = body.data.embeds[0]!;
    expect(e.url).toMatch(/^https:\/\/www\.vietnamplus\.vn\//u);
    expect(e.fields[0]!.value).toBe('date not stated');
    expect(normalisedSeed(SEED.convention)).toContain(quoteFromDescription(e.description).replace(/…$/u, ''));
  });

  it('about shows the corpus, model and mode, and no file paths', async () => {
    const i = h.fake.dispatchInteraction({ name: 'about', user: freshUser() });
    const call = await h.fake.waitForCall(callback(i.token as string), 5_000);
    const text = JSON.stringify(call.body);
    const fields = (call.body as { data: { embeds: { fields: { name: string; value: string }[] }[] } }).data.embeds[0]!.fields;
    const field = (name: string) => fields.find((f) => f.name === name)?.value;
    expect(field('Retrieval')).toBe('hybrid: words and meaning');
    // Publication dates, labelled; the items with none counted apart, with the dates their text states (October 2025), never as publication dates.
    expect(field('Dates')).toBe('2023-11 → 2025-01 (publication)\n7 items with no publication date');
    // The index time in Discord's timestamp markup, which each reader sees in their own time zone.
    expect(field('Index built')).toMatch(/^<t:\d+:f> \(<t:\d+:R>\)$/u);
    expect(text).not.toContain('/tmp');
    const fr = h.fake.dispatchInteraction({ name: 'about', user: freshUser(), locale: 'fr' });
    const frFields = ((await h.fake.waitForCall(callback(fr.token as string), 5_000)).body as { data: { embeds: { fields: { name: string; value: string }[] }[] } }).data.embeds[0]!.fields;
    expect(frFields.find((f) => f.name === 'Recherche')?.value).toBe('hybride : mots et sens');
  });

  it('the context button shows the surrounding paragraph', async () => {
    const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('Quand le protocole de coopération en cybersécurité avec Singapour a-t-il été signé ?'), user: freshUser() });
    const body = (await h.fake.waitForCall(original(i.token as string), 10_000)).body as { components: { components: { custom_id: string }[] }[] };
    const customId = body.components[0]!.components[0]!.custom_id;
    const click = h.fake.dispatchInteraction({ type: 'component', customId, message: { id: '123456789012345999', content: '' }, user: freshUser() });
    const ctx = (await h.fake.waitForCall(callback(click.token as string), 5_000)).body as { data: { embeds: { description: string }[]; flags: number } };
    expect(ctx.data.flags & 64).toBe(64);
    expect(normalisedSeed(SEED.singapore)).toContain(quoteFromDescription(ctx.data.embeds[0]!.description));
  });
});

describe('feedback', () => {
  type Row = { components: { custom_id: string; label?: string; emoji?: { name: string } }[] };
  const click = (customId: string, user = freshUser(), extra: Record<string, unknown> = {}) =>
    h.fake.dispatchInteraction({ type: 'component', customId, message: { id: '123456789012345777', content: '' }, user, ...extra });

  it('puts 👍 / 👎 under every answer; a 👍 is stored once with the question, quotes, mode and model, and never who gave it', async () => {
    const before = (await h.engine.feedback.list()).length;
    const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('Quand le protocole de coopération en cybersécurité avec Singapour a-t-il été signé ?'), user: freshUser() });
    const body = (await h.fake.waitForCall(original(i.token as string), 10_000)).body as { components: Row[] };
    const votes = body.components.at(-1)!.components;
    expect(votes.map((b) => b.emoji?.name)).toEqual(['👍', '👎']);
    const voter = freshUser();
    const c = click(votes[0]!.custom_id, voter);
    const reply = (await h.fake.waitForCall(callback(c.token as string), 5_000)).body as { data: { content: string; flags: number } };
    expect(reply.data.flags & 64).toBe(64);
    expect(reply.data.content).toMatch(/Thanks/u);
    const stored = (await h.engine.feedback.list()).slice(before);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ vote: 'up', reason: null, question: 'Quand le protocole de coopération en cybersécurité avec Singapour a-t-il été signé ?', match: 'answer', mode: 'hybrid' });
    expect(stored[0]!.quotes.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored[0])).not.toContain(voter.id);
    expect(JSON.stringify(stored[0])).not.toContain(voter.username);
    // The same person clicking again: counted once.
    const again = click(votes[0]!.custom_id, voter);
    expect(((await h.fake.waitForCall(callback(again.token as string), 5_000)).body as { data: { content: string } }).data.content).toMatch(/already/u);
    expect((await h.engine.feedback.list()).length).toBe(before + 1);
  });

  it('a 👎 offers an optional reason, which is stored with it', async () => {
    const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('Qui a reçu les chefs de délégation ?'), user: freshUser() });
    const body = (await h.fake.waitForCall(original(i.token as string), 10_000)).body as { components: Row[] };
    const down = body.components.at(-1)!.components[1]!.custom_id;
    const before = (await h.engine.feedback.list()).length;
    const c = click(down);
    const menu = (await h.fake.waitForCall(callback(c.token as string), 5_000)).body as { data: { flags: number; components: { components: { custom_id: string; options: { value: string }[] }[] }[] } };
    expect(menu.data.flags & 64).toBe(64);
    const select = menu.data.components[0]!.components[0]!;
    expect(select.options.map((o) => o.value)).toEqual(['wrong-quote', 'not-an-answer', 'missing-article', 'other']);
    const [entry] = (await h.engine.feedback.list()).slice(before);
    expect(entry).toMatchObject({ vote: 'down', reason: null });
    const pick = click(select.custom_id, freshUser(), { componentType: 3, values: ['not-an-answer'] });
    await h.fake.waitForCall(callback(pick.token as string), 5_000);
    expect((await h.engine.feedback.list()).find((e) => e.id === entry!.id)?.reason).toBe('not-an-answer');
  });

  it('a forged or unknown feedback id gets a short answer and stores nothing', async () => {
    const before = (await h.engine.feedback.list()).length;
    for (const id of ['fb:up:00000000000000000000', 'fb:down:not-an-id', 'fb:sideways:12345678901234567890']) {
      const c = click(id);
      const reply = (await h.fake.waitForCall(callback(c.token as string), 5_000)).body as { data: { content: string; flags: number; allowed_mentions: { parse: unknown[] } } };
      expect(reply.data.content).toMatch(/can no longer be rated/u);
      expect(reply.data.flags & 64).toBe(64);
      expect(reply.data.allowed_mentions.parse).toEqual([]);
    }
    expect((await h.engine.feedback.list()).length).toBe(before);
  });
});

describe('threads', () => {
  it('/ask thread:true answers, starts a thread named after the question, and answers every message in it as a follow-up', async () => {
    const question = 'Qui a reçu les chefs de délégation ?';
    const i = h.fake.dispatchInteraction({ name: 'ask', options: [...askOptions(question), { name: 'thread', type: 5, value: true }], user: freshUser() });
    const start = await h.fake.waitForCall((c) => c.method === 'POST' && /^\/channels\/\d+\/messages\/\d+\/threads$/u.test(c.path), 10_000);
    expect(start.status).toBe(200);
    expect((start.body as { name: string }).name).toBe(question);
    const threadId = (start.response as { id: string }).id;
    expect(i.token).toBeDefined();
    // No mention needed in the bot's thread; the question continues the answer it was started from.
    const mark = h.fake.mark();
    h.fake.dispatchMessage({ content: 'Et quand ?', channelId: threadId, author: freshUser() });
    const reply = await h.fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${threadId}/messages`, 10_000, { since: mark });
    const body = reply.body as { content: string; embeds: { description: string }[]; allowed_mentions: { parse: unknown[] } };
    expect(body.content).toContain(`Suite de « ${question} »`);
    expect(quoteFromDescription(body.embeds[0]!.description)).toContain('25 octobre');
    expect(body.allowed_mentions.parse).toEqual([]);
  });

  it('cuts a long question to a thread name of at most 100 characters, at a word', async () => {
    const { threadName } = await import('../../src/discord/commands/ask.js');
    const name = threadName(`${'Quelle coopération le Vietnam et la Russie ont-ils décidé de renforcer '.repeat(3)}?`);
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name).toMatch(/ \S+…$/u);
    expect(threadName('Qui a signé\n ?')).toBe('Qui a signé ?');
  });

  it('does not answer messages in channels that are not its threads unless mentioned', async () => {
    const mark = h.fake.mark();
    h.fake.dispatchMessage({ content: 'Et quand ?', author: freshUser() });
    await new Promise((r) => setTimeout(r, 500));
    expect(h.fake.findCalls((c) => c.method === 'POST' && c.path.startsWith('/channels/'), { since: mark })).toEqual([]);
  });
});
