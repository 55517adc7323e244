// Hostile or odd questions: a short answer or warning each time, no pings, and the bot keeps serving.
import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../tools/fake-discord/index.js';
import { askOptions, quoteFromDescription, startHarness, type Harness } from '../discord/harness.js';
import { SEEDS_DIR } from '../helpers/seeds.js';
import { makeTempDir } from '../helpers/static-model.js';
import {
  askAndWait,
  expectNoTokenCaptured,
  expectQuoteFrom,
  expectStillServing,
  INTERNALS,
  isCallback,
  isChannelMessage,
  NORMAL_FRAGMENT,
  NORMAL_QUESTION,
  NORMAL_SOURCE,
  userFactory,
  type AnswerBody,
} from './helpers.js';

const user = userFactory('75');
let h: Harness;

/** An article whose text is full of Markdown: quoting it must show it as written, not format it. */
const MARKDOWN_FILE = 'markdown.txt';
const MARKDOWN_SENTENCE =
  'Le rapport du forum de Genève sur les cyberpirates cite la commande `rm -rf /`, le bloc ```console.log("pirate")```, le mot **urgent**, un __soulignement__, un ~~trait~~ et un ||secret|| entre barres.';

/** The bot's own opening words, after the question restated in bold on the first line: an answer, or the clear "the articles don't say". */
const ANSWER_OR_NOT = /^\*\*.+\*\*\n(?:From the articles:|Nothing in the articles answers this question\.|D’après les articles :|Rien dans les articles ne répond à cette question\.)/u;

beforeAll(async () => {
  const seeds = path.join(await makeTempDir('bad-q-'), 'seeds');
  await cp(SEEDS_DIR, seeds, { recursive: true });
  await writeFile(path.join(seeds, MARKDOWN_FILE), `date 2025-02\n\n${MARKDOWN_SENTENCE} Il a ensuite parlé d'autre chose.\n`);
  h = await startHarness({ seedsDir: seeds });
});

afterAll(async () => {
  await h?.close();
  expectNoTokenCaptured(h);
  // Whatever was asked, no reply showed internals.
  for (const c of h.fake.calls.filter((c) => c.path.startsWith('/webhooks/') || c.path.startsWith('/interactions/') || c.path.includes('/messages'))) {
    expect(JSON.stringify(c.body ?? null)).not.toMatch(INTERNALS);
  }
});

/** /ask refused at once: an ephemeral message (callback type 4, flag 64). */
async function askRefused(question: string, locale = 'en-US'): Promise<string> {
  const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions(question), user: user(), locale });
  const ack = await h.fake.waitForCall(isCallback(i.token as string), 10_000);
  const body = ack.body as { type: number; data: { content: string; flags: number; allowed_mentions: unknown } };
  expect(ack.status).toBe(204);
  expect(body.type).toBe(4);
  expect(body.data.flags & 64).toBe(64);
  expect(body.data.allowed_mentions).toEqual({ parse: [] });
  return body.data.content;
}

/** Sends a message mentioning the bot and resolves with the bot's reply to it. */
async function mention(text: string): Promise<{ call: RecordedCall; body: AnswerBody }> {
  const mark = h.fake.mark();
  const m = h.fake.dispatchMessage({ content: `<@${h.fake.botUser.id}> ${text}`, author: user() });
  const call = await h.fake.waitForCall((c) => isChannelMessage(h.fake.channelId)(c) && (c.body as { message_reference?: { message_id: string } }).message_reference?.message_id === m.id, 15_000, { since: mark });
  expect(call.status).toBe(200);
  return { call, body: call.body as AnswerBody };
}

const EMPTY_EN = /^Ask me a question about the articles/u;
const EMPTY_FR = /^Posez-moi une question sur les articles/u;

describe('questions', () => {
  it('empty and whitespace-only: a short hint, nothing else', async () => {
    expect(await askRefused('')).toMatch(EMPTY_EN);
    expect(await askRefused('   \t \n  ')).toMatch(EMPTY_EN);
    expect(await askRefused('\u200b\u200f\u2060', 'fr')).toMatch(EMPTY_FR);
    expect((await mention('')).body.content).toMatch(EMPTY_FR);
    expect((await mention('  \n\t ')).body.content).toMatch(EMPTY_FR);
    await expectStillServing(h.fake, user());
  });

  it('6,000 characters: refused with the limit, by mention and by a hostile /ask past max_length', async () => {
    const long = 'cybersécurité Singapour protocole '.repeat(200).slice(0, 6000);
    expect(long).toHaveLength(6000);
    expect((await mention(long)).body.content).toBe('Question trop longue : 1000 caractères au plus.');
    expect(await askRefused(long)).toBe('That question is too long: 1000 characters at most.');
    await expectStillServing(h.fake, user());
  });

  it('control characters are dropped: the question is answered; only control characters count as empty', async () => {
    const q = NORMAL_QUESTION.replace('protocole', 'proto\u0000\u0007cole').replace('Singapour', '\u001b[31mSingapour\u001b[0m').replace(' ?', '\u007f\u0008 ?');
    const { body } = await askAndWait(h.fake, q, user());
    // "proto\0\7cole" becomes "proto cole": still enough of the question to find the quote.
    expectQuoteFrom(body, NORMAL_SOURCE, NORMAL_FRAGMENT);
    expect((await mention(`\u0000\u0001\u0002\u001f\u007f`)).body.content).toMatch(EMPTY_FR);
    await expectStillServing(h.fake, user());
  });

  it('zero-width and right-to-left marks around a real question: answered correctly', async () => {
    const q = `\u200f\u202e\u2066\u200b${NORMAL_QUESTION.replace('Singapour', 'Singa\u200bpour')}\u2069\u202c\u200e\ufeff`;
    const { body } = await askAndWait(h.fake, q, user());
    expectQuoteFrom(body, NORMAL_SOURCE, NORMAL_FRAGMENT);
    expectQuoteFrom((await mention(q)).body, NORMAL_SOURCE, NORMAL_FRAGMENT);
    await expectStillServing(h.fake, user());
  });

  it('emoji: around a question it is answered; emoji alone get a clear reply', async () => {
    const { body } = await askAndWait(h.fake, `🔐🇸🇬 ${NORMAL_QUESTION} 🤔🙏🏽`, user());
    expectQuoteFrom(body, NORMAL_SOURCE, NORMAL_FRAGMENT);
    const only = await askAndWait(h.fake, '😀👍🏽🇻🇳‍🔥', user(), { locale: 'en-US' });
    expect(only.body.content).toMatch(ANSWER_OR_NOT);
    expect((await mention('🤖❓')).body.content).toMatch(ANSWER_OR_NOT);
    await expectStillServing(h.fake, user());
  });

  it('Markdown and code blocks: questions are answered, quoted Markdown is escaped and shown as written', async () => {
    const q = '**Que** cite le `rapport` du forum de _Genève_ sur les ~~cyberpirates~~ ?\n```js\nprocess.exit(1)\n```';
    const { edit, body } = await askAndWait(h.fake, q, user());
    expect(edit.status).toBe(200);
    const description = body.embeds![0]!.description;
    // Escaped: no live code block, bold, strike or spoiler marks reach Discord.
    expect(description).not.toMatch(/(?<!\\)```/u);
    expect(description).toContain('\\*\\*urgent\\*\\*');
    expect(description).toContain('\\|\\|secret\\|\\|');
    // …and unescaped it is the sentence, verbatim.
    expect(quoteFromDescription(description)).toContain(MARKDOWN_SENTENCE);
    const m = await mention('**gras** `code` ```\nbloc\n``` > citation # titre [lien](https://exemple.org) Que cite le rapport du forum de Genève ?');
    expect(m.body.content).toMatch(ANSWER_OR_NOT);
    await expectStillServing(h.fake, user());
  });

  it('@everyone, role and user mentions in a question ping nobody', async () => {
    const pings = `@everyone @here <@&123456789012345678> <@123456789012345679> <@!123456789012345680>`;
    const { edit, body } = await askAndWait(h.fake, `${pings} ${NORMAL_QUESTION}`, user());
    expectQuoteFrom(body, NORMAL_SOURCE, NORMAL_FRAGMENT);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(edit.response).toMatchObject({ mention_everyone: false, mentions: [], mention_roles: [] });

    const m = await mention(`${pings} ${NORMAL_QUESTION}`);
    expectQuoteFrom(m.body, NORMAL_SOURCE, NORMAL_FRAGMENT);
    expect(m.body.allowed_mentions?.parse).toEqual([]);
    expect(m.call.response).toMatchObject({ mention_everyone: false, mentions: [], mention_roles: [] });

    // A refusal does not ping either.
    const refused = await mention(`${pings} ${'x'.repeat(1200)}`);
    expect(refused.call.response).toMatchObject({ mention_everyone: false, mentions: [], mention_roles: [] });
    await expectStillServing(h.fake, user());
  });

  it('Vietnamese, Russian and Chinese: an answer or a clear "the articles don\'t say", never a crash', async () => {
    const questions: [string, string][] = [
      ['vi', 'Khi nào Việt Nam và Singapore ký biên bản ghi nhớ hợp tác an ninh mạng?'],
      ['ru', 'Когда Вьетнам и Сингапур подписали меморандум о сотрудничестве в области кибербезопасности?'],
      ['zh-CN', '越南和新加坡什么时候签署了网络安全合作谅解备忘录？'],
    ];
    for (const [locale, q] of questions) {
      const { edit, body } = await askAndWait(h.fake, q, user(), { locale });
      expect(edit.status).toBe(200);
      expect(body.content, q).toMatch(ANSWER_OR_NOT);
      expect((await mention(q)).body.content, q).toMatch(ANSWER_OR_NOT);
    }
    expect(h.logs.filter((l) => /"interaction failed"|"message handling failed"/u.test(l))).toEqual([]);
    await expectStillServing(h.fake, user());
  });
});
