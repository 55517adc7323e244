// The gateway drops or goes silent, the REST API rate-limits or fails: answers still arrive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN, askOptions, startHarness, type Harness } from '../discord/harness.js';
import {
  askAndWait,
  expectNoTokenCaptured,
  expectQuoteFrom,
  expectStillServing,
  isCallback,
  isChannelMessage,
  isFollowUp,
  isOriginalEdit,
  NORMAL_FRAGMENT,
  NORMAL_QUESTION,
  NORMAL_SOURCE,
  userFactory,
} from './helpers.js';

let h: Harness;
const user = userFactory('71');

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
  expectNoTokenCaptured(h);
});

describe('gateway', () => {
  it('resumes after the socket is closed, replays an /ask sent meanwhile, and answers the next one', async () => {
    await expectStillServing(h.fake, user());
    const { resumes, identifies } = h.fake.stats;
    expect(h.fake.dropConnections(4000)).toBe(1);
    // Dispatched while the bot is disconnected: queued by the gateway and replayed on RESUME.
    const during = h.fake.dispatchInteraction({ name: 'ask', options: askOptions(NORMAL_QUESTION), user: user() });
    await h.fake.waitForResume(resumes + 1);
    expect(h.fake.stats.identifies).toBe(identifies);
    const replayed = await h.fake.waitForCall((c) => isOriginalEdit(during.token as string)(c) && c.status < 300, 15_000);
    expectQuoteFrom(replayed.body, NORMAL_SOURCE, NORMAL_FRAGMENT);
    await expectStillServing(h.fake, user());
    expect(h.logs.some((l) => l.includes('"gateway resumed"'))).toBe(true);
  });

  it('identifies again when the session cannot be resumed, and answers', async () => {
    const { identifies } = h.fake.stats;
    h.fake.dropConnections(4000, { invalidateSessions: true });
    await h.fake.waitForIdentify(identifies + 1, 15_000);
    await expectStillServing(h.fake, user());
  });

  it('identifies again after a normal close (1000), and answers', async () => {
    const { identifies } = h.fake.stats;
    h.fake.dropConnections(1000);
    await h.fake.waitForIdentify(identifies + 1, 15_000);
    await expectStillServing(h.fake, user());
  });

  it('reconnects when heartbeats stop being acknowledged (zombie connection), and answers', async () => {
    const { resumes, connections } = h.fake.stats;
    h.fake.ackHeartbeats = false;
    try {
      await h.fake.waitForResume(resumes + 1, 15_000);
    } finally {
      h.fake.ackHeartbeats = true;
    }
    expect(h.fake.stats.connections).toBeGreaterThan(connections);
    await expectStillServing(h.fake, user());
  });
});

describe('REST', () => {
  it('the bot pins its REST retry, timeout and global-rate settings', () => {
    expect(h.bot.client.rest.options).toMatchObject({ retries: 3, timeout: 15_000, globalRequestsPerSecond: 50 });
  });

  it('a 429 on the answer edit is waited out (retry_after) and the same edit is sent again', async () => {
    const fault = h.fake.failNext('PATCH /webhooks/:app/:token/messages/@original', { status: 429, retryAfter: 0.5 });
    const { token, edit, body } = await askAndWait(h.fake, NORMAL_QUESTION, user());
    expect(fault.hits).toBe(1);
    const attempts = h.fake.findCalls(isOriginalEdit(token));
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(attempts[0]!.fault).toMatch(/429/u);
    expect(attempts[1]!.body).toEqual(attempts[0]!.body);
    // discord.js waits retry_after (500 ms) plus its 50 ms offset before the retry.
    expect(edit.at - attempts[0]!.at).toBeGreaterThanOrEqual(450);
    expectQuoteFrom(body, NORMAL_SOURCE, NORMAL_FRAGMENT);
  });

  it('a 429 on a mention reply is waited out and the reply is posted', async () => {
    const mark = h.fake.mark();
    const fault = h.fake.failNext(`POST /channels/${h.fake.channelId}/messages`, { status: 429, retryAfter: 0.3 });
    const m = h.fake.dispatchMessage({ content: `<@${h.fake.botUser.id}> ${NORMAL_QUESTION}`, author: user() });
    const reply = await h.fake.waitForCall((c) => isChannelMessage(h.fake.channelId)(c) && c.status === 200, 15_000, { since: mark });
    expect(fault.hits).toBe(1);
    const attempts = h.fake.findCalls(isChannelMessage(h.fake.channelId), { since: mark });
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(reply.at - attempts[0]!.at).toBeGreaterThanOrEqual(250);
    expect((reply.body as { message_reference: { message_id: string } }).message_reference.message_id).toBe(m.id);
    expectQuoteFrom(reply.body, NORMAL_SOURCE, NORMAL_FRAGMENT);
  });

  it('a 500 on the answer edit is retried at once and the answer arrives', async () => {
    h.fake.failNext('PATCH /webhooks/:app/:token/messages/@original', { status: 500 });
    const { token, body } = await askAndWait(h.fake, NORMAL_QUESTION, user());
    const attempts = h.fake.findCalls(isOriginalEdit(token));
    expect(attempts.map((c) => c.status)).toEqual([500, 200]);
    expect(attempts[1]!.body).toEqual(attempts[0]!.body);
    expectQuoteFrom(body, NORMAL_SOURCE, NORMAL_FRAGMENT);
  });

  it('a 500 on the acknowledgement is retried and the answer arrives', async () => {
    h.fake.failNext('POST /interactions/:id/:token/callback', { status: 500 });
    const { token, body } = await askAndWait(h.fake, NORMAL_QUESTION, user());
    const acks = h.fake.findCalls(isCallback(token));
    expect(acks.map((c) => [c.status, (c.body as { type: number }).type])).toEqual([
      [500, 5],
      [204, 5],
    ]);
    expectQuoteFrom(body, NORMAL_SOURCE, NORMAL_FRAGMENT);
  });

  it('a connection dropped without an answer (not retried by discord.js) ends in the short error follow-up, and the bot keeps serving', async () => {
    h.fake.failNext('PATCH /webhooks/:app/:token/messages/@original', { kind: 'reset' });
    const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions(NORMAL_QUESTION), user: user(), locale: 'en-US' });
    const token = i.token as string;
    const followUp = await h.fake.waitForCall(isFollowUp(token), 15_000);
    const body = followUp.body as { content: string; flags: number };
    expect(body.content).toMatch(/^Something went wrong/u);
    expect(body.flags & 64).toBe(64);
    expect(h.fake.findCalls(isOriginalEdit(token)).map((c) => c.status)).toEqual([0]);
    expect(h.logs.some((l) => l.includes('"interaction failed"'))).toBe(true);
    await expectStillServing(h.fake, user());
    expect(h.logs.join('\n')).not.toContain(TOKEN);
  });
});
