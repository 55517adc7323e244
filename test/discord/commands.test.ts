import { cp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../tools/fake-discord/index.js';
import { SEED, SEEDS_DIR, normalisedSeed } from '../helpers/seeds.js';
import { makeTempDir } from '../helpers/static-model.js';
import { frenchArticle, rssFeed } from '../web/pages.js';
import { startNewsServer, type NewsServer } from '../web/server.js';
import { askOptions, quoteFromDescription, startHarness, type Harness } from './harness.js';

let h: Harness;
let site: NewsServer;
const MANAGE_SERVER = '32';

let n = 0;
const user = () => ({ id: `5550000000000${String(++n).padStart(5, '0')}`, username: `cmd${n}` });
const callback = (token: string) => (c: RecordedCall) => c.method === 'POST' && c.path.startsWith('/interactions/') && c.path.endsWith(`/${token}/callback`);
const original = (token: string) => (c: RecordedCall) => c.method === 'PATCH' && c.path === `/webhooks/${h.fake.applicationId}/${token}/messages/@original`;
type CallbackBody = { type: number; data?: { content?: string; flags?: number; embeds?: { title?: string; fields?: { name: string; value: string }[] }[] } };

beforeAll(async () => {
  site = await startNewsServer();
  site.page('/fr', frenchArticle(site.origin));
  site.page('/rss.xml', rssFeed(site.origin, [{ path: '/fr', title: 'Haiphong', pubDate: 'Tue, 14 Oct 2025 03:00:00 GMT' }]), 'application/rss+xml');
  const seeds = path.join(await makeTempDir('cmd-seeds-'), 'seeds');
  await cp(SEEDS_DIR, seeds, { recursive: true });
  h = await startHarness({ seedsDir: seeds, env: { ALLOW_PRIVATE_URLS: '1', FEEDS: `${site.origin}/rss.xml` } });
}, 120_000);

afterAll(async () => {
  await h?.close();
  await site?.close();
});

describe('/add', () => {
  it('is registered for Manage Server only, and refuses members without it in the handler too', async () => {
    const put = h.fake.findCalls(`PUT /applications/:app/guilds/${h.fake.guildId}/commands`)[0]!;
    const add = (put.body as { name: string; default_member_permissions?: string }[]).find((c) => c.name === 'add')!;
    expect(add.default_member_permissions).toBe(MANAGE_SERVER);
    // A server admin opened the command to everyone in Integrations: the handler still checks.
    const i = h.fake.dispatchInteraction({ name: 'add', options: [{ name: 'url', type: 3, value: `${site.origin}/fr` }], user: user(), locale: 'fr' });
    const body = (await h.fake.waitForCall(callback(i.token as string), 5_000)).body as CallbackBody;
    expect(body.type).toBe(4);
    expect(body.data!.flags! & 64).toBe(64);
    expect(body.data!.content).toBe('Seuls les membres qui ont la permission Gérer le serveur peuvent faire cela.');
    expect(site.hits.get('/fr') ?? 0).toBe(0);
  });

  it('adds an article, says what it added (title, date, passages) in the asker’s language, and /ask then quotes it', async () => {
    const i = h.fake.dispatchInteraction({ name: 'add', options: [{ name: 'url', type: 3, value: `${site.origin}/fr ${site.origin}/absent` }], user: user(), locale: 'fr', memberPermissions: MANAGE_SERVER });
    const ack = (await h.fake.waitForCall(callback(i.token as string), 3_000)).body as CallbackBody;
    expect(ack.type).toBe(5);
    const edit = (await h.fake.waitForCall(original(i.token as string), 30_000)).body as { content: string; allowed_mentions: unknown };
    const [added, failed] = edit.content.split('\n');
    expect(added).toMatch(/^Ajouté : \*\*Haiphong inaugure un terminal à conteneurs géant\*\* \(publié le 2025-10-14, \d+ passages\)$/u);
    expect(failed).toBe(`Non ajouté : <${site.origin}/absent> — le site a répondu 404`);
    expect(edit.allowed_mentions).toEqual({ parse: [] });
    const q = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('Quel a été le montant des travaux du terminal de Haiphong ?'), user: user(), locale: 'fr' });
    const answer = (await h.fake.waitForCall(original(q.token as string), 10_000)).body as { embeds: { title: string; description: string; fields: { name: string; value: string }[] }[] };
    expect(answer.embeds[0]!.title).toBe('1. Haiphong inaugure un terminal à conteneurs géant');
    expect(answer.embeds.map((e) => quoteFromDescription(e.description)).join(' ')).toContain('320 millions d’euros');
    expect(answer.embeds[0]!.fields.find((f) => f.name === 'Publication')!.value).toBe('2025-10-14');
  });

  it('refuses a private address when ALLOW_PRIVATE_URLS is off (one line, English locale)', async () => {
    // The harness allows private addresses for its local site; a link with credentials is refused before any fetch.
    const i = h.fake.dispatchInteraction({ name: 'add', options: [{ name: 'url', type: 3, value: 'file:///etc/passwd' }], user: user(), locale: 'en-US', memberPermissions: MANAGE_SERVER });
    const edit = (await h.fake.waitForCall(original(i.token as string), 10_000)).body as { content: string };
    expect(edit.content).toBe('Not added: <file:///etc/passwd> — only http and https links are accepted');
  });
});

describe('/reindex', () => {
  it('checks Manage Server in the handler, and answers in French to a French member', async () => {
    const refused = h.fake.dispatchInteraction({ name: 'reindex', user: user(), locale: 'en-US' });
    expect(((await h.fake.waitForCall(callback(refused.token as string), 5_000)).body as CallbackBody).data!.content).toBe('Only members with the Manage Server permission can do this.');
    const i = h.fake.dispatchInteraction({ name: 'reindex', user: user(), locale: 'fr', memberPermissions: MANAGE_SERVER });
    const edit = (await h.fake.waitForCall(original(i.token as string), 60_000)).body as { content: string };
    expect(edit.content).toMatch(/^Réindexation terminée : \d+ articles, \d+ passages ; vecteurs : \d+ nouveaux, \d+ modifiés, \d+ supprimés, \d+ inchangés\.$/u);
  });
});

describe('unknown interactions', () => {
  it('answers an unknown command and a forged button briefly instead of staying silent', async () => {
    const cmd = h.fake.dispatchInteraction({ name: 'summarize', user: user(), locale: 'en-US' });
    const a = (await h.fake.waitForCall(callback(cmd.token as string), 5_000)).body as CallbackBody;
    expect(a.data!.content).toBe('I do not know that command (it may be from an older version of the bot).');
    expect(a.data!.flags! & 64).toBe(64);
    const button = h.fake.dispatchInteraction({ type: 'component', customId: 'admin:delete-all', message: { id: '123456789012345888', content: '' }, user: user(), locale: 'fr' });
    const b = (await h.fake.waitForCall(callback(button.token as string), 5_000)).body as CallbackBody;
    expect(b.data!.content).toBe('Ce bouton ne vient pas de moi, ou il a expiré.');
  });
});

describe('Find sources (message context menu)', () => {
  const findSources = (message: Record<string, unknown>, locale: string) =>
    h.fake.dispatchInteraction({
      name: 'Find sources',
      commandType: 3,
      user: user(),
      locale,
      data: { target_id: message.id, resolved: { messages: { [String(message.id)]: message } } },
    });
  const replyTo = (id: string) => (c: RecordedCall) => c.method === 'POST' && /^\/channels\/\d+\/messages$/u.test(c.path) && (c.body as { message_reference?: { message_id?: string } }).message_reference?.message_id === id;

  it('by default, shows the sources to the member who asked only: nothing is posted under the message', async () => {
    const message = h.fake.dispatchMessage({ content: 'Le Vietnam et Singapour ont signé un protocole de coopération en cybersécurité en octobre 2022, non ?', author: user() });
    const mark = h.fake.mark();
    const i = findSources(message, 'fr');
    const ack = (await h.fake.waitForCall(callback(i.token as string), 3_000)).body as CallbackBody;
    expect(ack.type).toBe(5);
    expect(ack.data?.flags ?? 0).toBe(64);
    const own = (await h.fake.waitForCall(original(i.token as string), 10_000)).body as { content: string; embeds: { description: string }[] };
    expect(own.content).toMatch(/^Citations les plus proches dans les articles pour \[ce message\]/u);
    expect(quoteFromDescription(own.embeds[0]!.description)).toContain('17 octobre 2022');
    expect(h.fake.findCalls(replyTo(String(message.id)), { since: mark })).toEqual([]);
  });

  it('with /settings sources:public, replies under the message with the closest verbatim quotes and their dates, pinging nobody', async () => {
    const set = h.fake.dispatchInteraction({ name: 'settings', options: [{ name: 'sources', type: 3, value: 'public' }], user: user(), locale: 'en-US', memberPermissions: '32' });
    expect(((await h.fake.waitForCall(callback(set.token as string), 5_000)).body as CallbackBody).data!.content).toMatch(/Find sources posted under the message/u);
    const author = user();
    const message = h.fake.dispatchMessage({ content: 'Le Vietnam et Singapour ont signé un protocole de coopération en cybersécurité en octobre 2022, non ?', author });
    const i = findSources(message, 'fr');
    const ack = (await h.fake.waitForCall(callback(i.token as string), 3_000)).body as CallbackBody;
    expect(ack.type).toBe(5);
    const reply = await h.fake.waitForCall(replyTo(String(message.id)), 10_000);
    const body = reply.body as { content: string; embeds: { description: string; fields: { name: string; value: string }[] }[]; allowed_mentions: { parse: unknown[]; replied_user?: boolean } };
    expect(body.content).toMatch(/^Citations les plus proches dans les articles pour \[ce message\]\(https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+\)/u);
    const quote = quoteFromDescription(body.embeds[0]!.description);
    expect(normalisedSeed(SEED.singapore)).toContain(quote);
    expect(quote).toContain('17 octobre 2022');
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    const response = reply.response as { mentions: unknown[]; mention_everyone: boolean };
    expect(response.mentions).toEqual([]);
    const done = (await h.fake.waitForCall(original(i.token as string), 5_000)).body as { content: string };
    expect(done.content).toBe('Sources publiées en réponse au message.');
  });

  it('says plainly, in English, when the articles do not support a claim', async () => {
    const message = h.fake.dispatchMessage({ content: 'The moon landing in 1969 was filmed in a studio in Nevada.', author: user() });
    const i = findSources(message, 'en-GB');
    const reply = await h.fake.waitForCall(replyTo(String(message.id)), 10_000);
    expect((reply.body as { content: string }).content).toMatch(/^The articles do not support \[this message\]\(https:\/\/discord\.com\/channels\/[\d/]+\): nothing in them states it\.$/u);
    expect(((await h.fake.waitForCall(original(i.token as string), 5_000)).body as { content: string }).content).toBe('Sources posted as a reply to the message.');
  });

  it('sets apart, as related and never as support, passages that only touch on a claim', async () => {
    // The ceremony is in the articles; an amount it cost is not.
    const message = h.fake.dispatchMessage({ content: 'La cérémonie de signature de la Convention de Hanoï a coûté trois millions de dollars.', author: user() });
    findSources(message, 'fr');
    const reply = await h.fake.waitForCall(replyTo(String(message.id)), 10_000);
    const body = reply.body as { content: string; embeds: { description: string; color: number; footer?: { text: string } }[] };
    expect(body.content).toMatch(/^Les articles évoquent le sujet de \[ce message\]\(https:\/\/discord\.com\/channels\/[\d/]+\) mais aucun ne le dit\./u);
    expect(body.embeds.length).toBeGreaterThan(0);
    for (const e of body.embeds) {
      expect(e.footer?.text).toBe('Passage le plus proche — pas une réponse');
      expect(normalisedSeed(SEED.convention)).toContain(quoteFromDescription(e.description));
    }
  });

  it('says so for a message with no text', async () => {
    const message = h.fake.dispatchMessage({ content: '', author: user() });
    const i = findSources(message, 'en-US');
    expect(((await h.fake.waitForCall(callback(i.token as string), 5_000)).body as CallbackBody).data!.content).toBe('That message has no text to look up.');
  });
});

describe('/cite', () => {
  it('returns « quote » — title, publication date, link, with one sentence verbatim', async () => {
    const i = h.fake.dispatchInteraction({ name: 'cite', options: [{ name: 'article', type: 3, value: SEED.singapore }, { name: 'quote', type: 3, value: 'protocole cybersécurité 17 octobre' }], user: user(), locale: 'fr' });
    const body = (await h.fake.waitForCall(callback(i.token as string), 5_000)).body as CallbackBody;
    const content = body.data!.content!;
    const m = /^« (.+) » — (.+), publié le 2023-11(?:, <(https?:\/\/\S+)>)?$/u.exec(content);
    expect(m, content).not.toBeNull();
    // The article has no headline: its title is a whole phrase of its own words, with no ellipsis the source does not have.
    expect(m![2]).not.toMatch(/…/u);
    const sentence = m![1]!.replace(/\\([\\*_`~|>#[\]()-])/gu, '$1');
    expect(normalisedSeed(SEED.singapore)).toContain(sentence);
    expect(sentence).toContain('17 octobre 2022');
  });

  it('says when no sentence has the words, and autocompletes titles', async () => {
    const i = h.fake.dispatchInteraction({ name: 'cite', options: [{ name: 'article', type: 3, value: SEED.singapore }, { name: 'quote', type: 3, value: 'tarte aux pommes' }], user: user(), locale: 'en-US' });
    expect(((await h.fake.waitForCall(callback(i.token as string), 5_000)).body as CallbackBody).data!.content).toBe('No sentence of that article contains those words. Try other words from the article.');
    const ac = h.fake.dispatchInteraction({ type: 'autocomplete', name: 'cite', options: [{ name: 'article', type: 3, value: 'poliburo', focused: true }], user: user() });
    const choices = ((await h.fake.waitForCall(callback(ac.token as string), 5_000)).body as { data: { choices: { value: string }[] } }).data.choices;
    expect(choices.map((c) => c.value)).toContain(SEED.singapore);
  });
});

describe('/about with feeds', () => {
  it('lists each feed with its last success, last error and article count', async () => {
    await h.engine.feeds!.runOnce({ force: true });
    const i = h.fake.dispatchInteraction({ name: 'about', user: user(), locale: 'en-US' });
    const body = (await h.fake.waitForCall(callback(i.token as string), 5_000)).body as CallbackBody;
    const feed = body.data!.embeds![0]!.fields!.find((f) => f.name.startsWith('Feeds'))!;
    expect(feed.name).toBe('Feeds · Le Quotidien du Delta');
    expect(feed.value).toMatch(/^1 articles · last success \d{4}-\d\d-\d\dT[\d:.]+Z$/u);
  });
});

describe('/about with the measured quality', () => {
  it('shows the figures by category that npm run eval -- --save last wrote, in the asker’s language', async () => {
    const { EVALUATION } = await import('../../src/discord/evaluation.js');
    const i = h.fake.dispatchInteraction({ name: 'about', user: user(), locale: 'fr' });
    const body = (await h.fake.waitForCall(callback(i.token as string), 5_000)).body as CallbackBody;
    const field = body.data!.embeds![0]!.fields!.find((f) => f.name.startsWith('Mesuré sur'))!;
    expect(field.name).toBe(`Mesuré sur ${EVALUATION.questions} questions (${EVALUATION.measured})`);
    const lines = field.value.split('\n');
    expect(lines).toHaveLength(EVALUATION.categories.length + 1);
    const trap = EVALUATION.categories.find((c) => c.category === 'trap')!;
    expect(lines).toContain(`Proches du sujet (absentes des articles) (${trap.questions}) : refus de répondre ${Math.round(trap.declined! * 100)}\u202f%`);
    const plain = EVALUATION.categories.find((c) => c.category === 'plain')!;
    expect(lines).toContain(`Questions simples (${plain.questions}) : bonne citation parmi les trois premières ${Math.round(plain.hitAt3! * 100)}\u202f%`);
  });
});

describe('/ask narrowed by time', () => {
  it('says the period used, and says so when no article is of that period', async () => {
    const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('Quel protocole de coopération en cybersécurité a été signé avec Singapour en novembre 2023 ?'), user: user(), locale: 'fr' });
    const body = (await h.fake.waitForCall(original(i.token as string), 10_000)).body as { content: string; embeds: { fields: { name: string; value: string }[] }[] };
    expect(body.content).toMatch(/\nD’après les articles \(en novembre 2023\) :$/u);
    expect(body.embeds[0]!.fields.find((f) => f.name === 'Publication')!.value).toBe('2023-11');
    const out = h.fake.dispatchInteraction({ name: 'ask', options: askOptions('Quelle est la recette de la tarte aux pommes en mars 2019 ?'), user: user(), locale: 'fr' });
    const none = (await h.fake.waitForCall(original(out.token as string), 10_000)).body as { content: string };
    // Some articles have no publication date: they were searched, and the reply names them instead of ruling the period out.
    expect(none.content).toMatch(/\nRien dans les articles ne répond à cette question pour cette période \(en mars 2019\)\. Les articles datés ont été publiés de 2023-11 à \d{4}-\d\d(?:-\d\d)?\. \d+ articles n’ont pas de date de publication et ont été cherchés aussi : « .+ »\.$/u);
  });
});
