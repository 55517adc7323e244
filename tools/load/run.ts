/**
 * A load run: the real bot (createBot over a real engine with the project-built model) against the
 * fake Discord of the tests, a burst of /ask interactions, and what it did to latency, memory, the
 * event loop and the gateway heartbeat. It measures; it does not judge beyond stating targets.
 */
import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { Events } from 'discord.js';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.js';
import { createBot } from '../../src/discord/bot.js';
import { createEngine } from '../../src/engine/index.js';
import { percentile } from '../eval/metrics.js';
import { createLogger } from '../../src/logger.js';
import { buildStaticModel, STATIC_MODEL_NAME } from '../../src/model-setup/build-static-model.js';
// A dev tool may use the test fake: it is the only Discord this can safely flood.
import { startFakeDiscord, type RecordedCall } from '../fake-discord/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface LoadOptions {
  /** Interactions to send. */
  count: number;
  /** Distinct users they come from (round robin). */
  users: number;
  /** Window the interactions are spread over, evenly. */
  seconds: number;
  /** An interaction with no answer this long after the last dispatch counts as lost. */
  lostAfterSeconds: number;
  /** Heartbeat interval the fake gateway asks for (Discord's is 41.25 s; shorter, to see several during the burst). */
  heartbeatMs: number;
  /** Memory the run should stay under. */
  memoryCeilingBytes: number;
  /** Progress lines (stderr). */
  progress?: (line: string) => void;
}

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

export interface LoadResult {
  machine: { cores: number; node: string; platform: string };
  settings: {
    count: number;
    users: number;
    seconds: number;
    cooldown: { questions: number; seconds: number; note: string };
    answerConcurrency: number;
    heartbeatMs: number;
    lostAfterSeconds: number;
    questions: number;
    corpus: { articles: number; passages: number; mode: string };
  };
  dispatch: { seconds: number };
  outcome: { answered: number; refused: number; failed: number; lost: number };
  /** Dispatch by the fake → InteractionCreate in the bot: gateway transport and discord.js parsing. */
  deliveryMs: Distribution;
  ackMs: Distribution;
  answerMs: Distribution;
  ackedWithin3sPercent: number;
  memory: { peakRssBytes: number; peakHeapUsedBytes: number; ceilingBytes: number; withinCeiling: boolean };
  eventLoopDelayMs: { max: number; p99: number; mean: number };
  heartbeat: {
    intervalMs: number;
    sentDuringBurst: number;
    ackedDuringBurst: number;
    maxGapMs: number;
    reconnects: number;
    lastPingMs: number;
  };
  log: { warnings: number; errors: number };
}

interface Tracked {
  token: string;
  dispatchedAt: number;
  /** When the bot's client emitted InteractionCreate for it. */
  receivedAt?: number;
  ackAt?: number;
  ackType?: number;
  answeredAt?: number;
  failedAt?: number;
}

const LOOP_RESOLUTION_MS = 10;

/** Bot token for the fake only; never a real one. */
const LOAD_TOKEN = 'bG9hZC10ZXN0.ZmFrZQ.load-test-token-for-the-fake-discord-only';

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const say = options.progress ?? (() => {});
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'news-quote-load-'));
  const fake = await startFakeDiscord({ heartbeatIntervalMs: options.heartbeatMs, maxRecorded: options.count * 6 + 2_000, maxStored: options.count * 4 + 2_000 });
  let stopBot: (() => Promise<void>) | undefined;
  try {
    const seedsDir = path.resolve(process.env['SEEDS_DIR'] ?? path.join(ROOT, 'seeds'));
    say('building the project model from the seed texts');
    const names = (await readdir(seedsDir)).filter((n) => /\.(txt|md)$/iu.test(n)).sort();
    const texts = await Promise.all(names.map((n) => readFile(path.join(seedsDir, n), 'utf8')));
    const model = await buildStaticModel({ texts, outDir: path.join(tmp, STATIC_MODEL_NAME) });

    // Each user asks count/users questions within the window: the per-user budget must allow that,
    // or most of the burst would measure the cooldown reply instead of answers.
    const perUser = Math.ceil(options.count / options.users);
    const cooldownSeconds = 30;
    const config = loadConfig({
      SEEDS_DIR: seedsDir,
      EMBEDDINGS_DIR: path.join(tmp, 'embeddings'),
      EMBEDDING_MODEL: model.dir,
      OFFLINE: '1',
      DISCORD_TOKEN: LOAD_TOKEN,
      DISCORD_API_BASE: fake.apiBase,
      DISCORD_GUILD_ID: fake.guildId,
      COOLDOWN_QUESTIONS: String(Math.max(5, perUser)),
      COOLDOWN_SECONDS: String(cooldownSeconds),
      ...(process.env['ANSWER_CONCURRENCY'] ? { ANSWER_CONCURRENCY: process.env['ANSWER_CONCURRENCY'] } : {}),
    });

    const counts = { warnings: 0, errors: 0 };
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          const level = (JSON.parse(line) as { level: number }).level;
          if (level >= 50) counts.errors++;
          else if (level >= 40) counts.warnings++;
        }
        done();
      },
    });
    const logger = createLogger('warn', LOAD_TOKEN, sink);
    say('indexing the seeds');
    const engine = await createEngine(config, { log: { info: () => {}, warn: (m) => logger.warn(m) } });
    const bot = createBot({ engine, config, logger });
    stopBot = () => bot.stop();
    await bot.start();

    const questions = (await readFile(path.join(ROOT, 'test/eval/questions.jsonl'), 'utf8'))
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (JSON.parse(l) as { q: string }).q);
    const userIds = Array.from({ length: options.users }, (_, i) => `55500000000${String(i).padStart(7, '0')}`);

    // Warm-up: one question outside the measurement (first-call costs of the model and the route).
    const warm = fake.dispatchInteraction({ name: 'ask', options: [{ name: 'question', type: 3, value: questions[0]! }], user: { id: '555999999999999999' } });
    await fake.waitForCall((c) => c.method === 'PATCH' && c.path.endsWith(`/${warm.token as string}/messages/@original`), 30_000);

    const byToken = new Map<string, Tracked>();
    const tracked: Tracked[] = [];
    let nextSeq = fake.mark();
    const collect = (): void => {
      const calls = fake.findCalls(() => true, { since: nextSeq });
      for (const c of calls) {
        nextSeq = Math.max(nextSeq, c.seq + 1);
        record(c);
      }
    };
    const record = (c: RecordedCall): void => {
      const callback = /^\/interactions\/\d+\/([^/]+)\/callback$/u.exec(c.path);
      const webhook = /^\/webhooks\/\d+\/([^/]+)(\/messages\/@original)?$/u.exec(c.path);
      const t = byToken.get(callback?.[1] ?? webhook?.[1] ?? '');
      if (!t || c.status < 200 || c.status >= 300) return;
      if (callback && t.ackAt === undefined) {
        t.ackAt = c.at;
        t.ackType = (c.body as { type?: number } | undefined)?.type;
      } else if (webhook?.[2] && c.method === 'PATCH' && t.answeredAt === undefined) {
        t.answeredAt = c.at;
      } else if (webhook && !webhook[2] && c.method === 'POST' && t.answeredAt === undefined && t.failedAt === undefined) {
        // A follow-up before any edit of the reply is the bot's "something went wrong" (the follow-ups
        // of a long answer only come after the edit).
        t.failedAt = c.at;
      }
    };
    bot.client.on(Events.InteractionCreate, (i) => {
      const t = byToken.get(i.token);
      if (t && t.receivedAt === undefined) t.receivedAt = Date.now();
    });
    const settled = (t: Tracked): boolean => t.answeredAt !== undefined || t.failedAt !== undefined || (t.ackType !== undefined && t.ackType !== 5);

    // Samplers: event-loop delay for the whole burst, memory every 100 ms.
    const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    let peakRss = 0;
    let peakHeap = 0;
    const sampleMemory = (): void => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    sampleMemory();
    const memoryTimer = setInterval(sampleMemory, 100);
    const collectTimer = setInterval(collect, 50);
    const reconnectsBefore = fake.stats.identifies + fake.stats.resumes;
    const gatewayMark = fake.markGateway();
    loop.enable();

    say(`sending ${options.count} /ask from ${options.users} users over ${options.seconds} s`);
    const windowMs = options.seconds * 1000;
    const start = Date.now();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const due = options.count <= 1 ? options.count : Math.min(options.count, Math.floor(((Date.now() - start) / windowMs) * (options.count - 1)) + 1);
        for (; sent < due; sent++) {
          const question = questions[sent % questions.length]!;
          const i = fake.dispatchInteraction({ name: 'ask', options: [{ name: 'question', type: 3, value: question }], user: { id: userIds[sent % userIds.length]! }, locale: 'fr' });
          const t: Tracked = { token: i.token as string, dispatchedAt: Date.now() };
          byToken.set(t.token, t);
          tracked.push(t);
        }
        if (sent >= options.count) resolve();
        else setTimeout(tick, 5);
      };
      tick();
    });
    const dispatchSeconds = (Date.now() - start) / 1000;
    say(`all sent in ${dispatchSeconds.toFixed(1)} s; waiting for answers (lost after ${options.lostAfterSeconds} s)`);

    const deadline = Date.now() + options.lostAfterSeconds * 1000;
    while (Date.now() < deadline) {
      collect();
      if (tracked.every(settled)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    collect();
    const end = Date.now();
    loop.disable();
    clearInterval(memoryTimer);
    clearInterval(collectTimer);
    sampleMemory();

    // Heartbeats during the burst: the client's (op 1, in) and the fake's ACKs (op 11, out).
    const frames = fake.gatewayFrames.filter((f) => f.seq >= gatewayMark && f.at >= start && f.at <= end);
    const beats = frames.filter((f) => f.direction === 'in' && f.op === 1).map((f) => f.at);
    const acks = frames.filter((f) => f.direction === 'out' && f.op === 11).length;
    const points = [start, ...beats, end];
    const gaps = points.slice(1).map((t, i) => t - points[i]!);

    const ack = tracked.filter((t) => t.ackAt !== undefined).map((t) => t.ackAt! - t.dispatchedAt);
    const answered = tracked.filter((t) => t.answeredAt !== undefined);
    const answerMs = answered.map((t) => t.answeredAt! - t.dispatchedAt);
    const refused = tracked.filter((t) => t.answeredAt === undefined && t.ackType !== undefined && t.ackType !== 5).length;
    const failed = tracked.filter((t) => t.answeredAt === undefined && t.failedAt !== undefined).length;
    // The histogram records the time between its timer's ticks, sampling interval included: the
    // delay is what exceeds the interval.
    const ns = (v: number): number => Math.max(0, Math.round((v / 1e6 - LOOP_RESOLUTION_MS) * 10) / 10);

    return {
      machine: { cores: os.availableParallelism(), node: process.version, platform: `${os.platform()} ${os.arch()}` },
      settings: {
        count: options.count,
        users: options.users,
        seconds: options.seconds,
        cooldown: {
          questions: config.COOLDOWN_QUESTIONS,
          seconds: config.COOLDOWN_SECONDS,
          note: `raised from the default 5 per 30 s: each user sends ${perUser} questions in ${options.seconds} s, and this run measures answers, not the cooldown reply`,
        },
        answerConcurrency: config.ANSWER_CONCURRENCY,
        heartbeatMs: options.heartbeatMs,
        lostAfterSeconds: options.lostAfterSeconds,
        questions: questions.length,
        corpus: { articles: engine.corpus.articles.length, passages: engine.corpus.passages.length, mode: engine.mode },
      },
      dispatch: { seconds: dispatchSeconds },
      outcome: { answered: answered.length, refused, failed, lost: tracked.length - answered.length - refused - failed },
      deliveryMs: distribution(tracked.filter((t) => t.receivedAt !== undefined).map((t) => t.receivedAt! - t.dispatchedAt)),
      ackMs: distribution(ack),
      answerMs: distribution(answerMs),
      ackedWithin3sPercent: tracked.length === 0 ? 100 : (100 * ack.filter((ms) => ms <= 3000).length) / tracked.length,
      memory: { peakRssBytes: peakRss, peakHeapUsedBytes: peakHeap, ceilingBytes: options.memoryCeilingBytes, withinCeiling: peakRss <= options.memoryCeilingBytes },
      eventLoopDelayMs: { max: ns(loop.max), p99: ns(loop.percentile(99)), mean: ns(loop.mean) },
      heartbeat: {
        intervalMs: options.heartbeatMs,
        sentDuringBurst: beats.length,
        ackedDuringBurst: acks,
        maxGapMs: gaps.length > 0 ? Math.max(...gaps) : 0,
        reconnects: fake.stats.identifies + fake.stats.resumes - reconnectsBefore,
        lastPingMs: bot.client.ws.ping,
      },
      log: counts,
    };
  } finally {
    await stopBot?.().catch(() => undefined);
    await fake.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

function distribution(values: number[]): Distribution {
  return { n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), max: values.length === 0 ? 0 : Math.max(...values) };
}

/** The result as lines for a person, each target stated next to its figure. */
export function formatLoad(r: LoadResult): string {
  const mib = (b: number): string => `${Math.round(b / 1024 / 1024)} MiB`;
  const ms = (d: Distribution): string => `p50 ${d.p50} ms, p95 ${d.p95} ms, max ${d.max} ms (n=${d.n})`;
  const mark = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  const { settings: s, outcome: o, heartbeat: hb } = r;
  const hbOk = hb.reconnects === 0 && hb.ackedDuringBurst >= hb.sentDuringBurst && hb.sentDuringBurst > 0;
  return [
    `Load: ${s.count} /ask from ${s.users} users over ${s.seconds} s (sent in ${r.dispatch.seconds.toFixed(1)} s), ${s.questions} questions from test/eval/questions.jsonl in turn`,
    `Machine: ${r.machine.cores} cores, Node ${r.machine.node}, ${r.machine.platform}`,
    `Bot: real createBot + engine (${s.corpus.mode}, project-built model, ${s.corpus.articles} articles, ${s.corpus.passages} passages), answer concurrency ${s.answerConcurrency}`,
    `Cooldown: ${s.cooldown.questions} questions per ${s.cooldown.seconds} s per user — ${s.cooldown.note}`,
    `Fake Discord in this process (heartbeat every ${s.heartbeatMs} ms): its work is counted in the event-loop and memory figures`,
    '',
    `Answered ${o.answered}, refused ${o.refused}, failed ${o.failed}, lost ${o.lost} (no answer ${s.lostAfterSeconds} s after the last dispatch)   target: 0 lost — ${mark(o.lost === 0 && o.failed === 0)}`,
    `Delivery (dispatch → InteractionCreate in the bot): ${ms(r.deliveryMs)}`,
    `Acknowledgement (dispatch → callback received): ${ms(r.ackMs)}`,
    `Acknowledged within 3 s: ${r.ackedWithin3sPercent.toFixed(1)} %   target: 100 % — ${mark(r.ackedWithin3sPercent === 100)}`,
    `Answer (dispatch → edit of the reply received): ${ms(r.answerMs)}`,
    `Peak memory: RSS ${mib(r.memory.peakRssBytes)}, heap used ${mib(r.memory.peakHeapUsedBytes)}   ceiling: RSS ${mib(r.memory.ceilingBytes)} — ${mark(r.memory.withinCeiling)}`,
    `Event-loop delay: max ${r.eventLoopDelayMs.max} ms, p99 ${r.eventLoopDelayMs.p99} ms, mean ${r.eventLoopDelayMs.mean} ms`,
    `Gateway heartbeat during the burst: ${hb.sentDuringBurst} sent, ${hb.ackedDuringBurst} ACKed, longest gap ${hb.maxGapMs} ms (interval ${hb.intervalMs} ms), ${hb.reconnects} reconnects, last ping ${hb.lastPingMs} ms   target: all ACKed, no reconnect — ${mark(hbOk)}`,
    `Bot log during the run: ${r.log.warnings} warnings, ${r.log.errors} errors`,
  ].join('\n');
}
