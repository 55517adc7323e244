import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { env } from '@xenova/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../src/core/model/types.js';
import { loadEmbedder, locateModel, resolvePrefixScheme } from '../src/core/model/embedder.js';
import { brokenCopyOf, buildTestModel, makeTempDir } from './helpers/static-model.js';

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));

let dir: string;
let modelsDir: string;
let embedder: Embedder;

beforeAll(async () => {
  dir = await buildTestModel();
  modelsDir = await makeTempDir('news-quote-models-');
  const loaded = await loadEmbedder({ model: dir, modelsDir, offline: true });
  if (!loaded.ok) throw new Error(loaded.message);
  embedder = loaded.embedder;
});

describe('resolvePrefixScheme', () => {
  it('uses query:/passage: for E5 models and nothing for others', () => {
    expect(resolvePrefixScheme('Xenova/multilingual-e5-small')).toEqual({ name: 'e5', query: 'query: ', passage: 'passage: ' });
    expect(resolvePrefixScheme('intfloat/E5-base-v2').query).toBe('query: ');
    expect(resolvePrefixScheme('Xenova/all-MiniLM-L6-v2')).toMatchObject({ query: '', passage: '' });
    expect(resolvePrefixScheme('/home/e5-experiments/minilm')).toMatchObject({ query: '', passage: '' });
  });

  it("lets a folder model's config.json decide", () => {
    const config = { news_quote_bot: { query_prefix: '', passage_prefix: '' } };
    expect(resolvePrefixScheme('models/my-e5-copy', config)).toMatchObject({ query: '', passage: '' });
    const custom = { news_quote_bot: { query_prefix: 'Q: ', passage_prefix: 'P: ' } };
    expect(resolvePrefixScheme('anything', custom)).toEqual({ name: 'model-config', query: 'Q: ', passage: 'P: ' });
  });
});

describe('locateModel', () => {
  it('tells folders from hub ids', () => {
    expect(locateModel(dir, '/m')).toEqual({ kind: 'folder', dir });
    expect(locateModel('Xenova/multilingual-e5-small', '/m')).toMatchObject({ kind: 'hub', dir: path.join('/m', 'Xenova', 'multilingual-e5-small') });
    expect(locateModel('./no/such/model', '/m').kind).toBe('bad-folder');
  });
});

describe('loadEmbedder with the project-built model', () => {
  it('loads a folder by absolute or relative path, with no prefixes', async () => {
    expect(embedder.dimension).toBe(256);
    expect(embedder.modelId).toBe(dir);
    expect(embedder.prefix).toMatchObject({ query: '', passage: '' });
    const relative = path.relative(process.cwd(), dir);
    const again = await loadEmbedder({ model: relative, modelsDir, offline: true });
    expect(again.ok && again.embedder.modelId).toBe(relative);
  });

  it('shares one load between concurrent callers', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => loadEmbedder({ model: dir, modelsDir, offline: true })));
    expect(a?.ok && b?.ok && a.embedder === b.embedder).toBe(true);
  });

  it('returns plain unit vectors, in input order, for batches of mixed lengths', async () => {
    const long = 'La sécurité régionale et mondiale reste une priorité du ministère. '.repeat(120); // > 512 tokens: truncated
    const texts = Array.from({ length: 37 }, (_, i) => `Passage ${i} sur la coopération ${'économique '.repeat(i % 7)}`);
    texts.splice(5, 0, long, '');
    const progress: [number, number][] = [];
    const vectors = await embedder.embedPassages(texts, (done, total) => progress.push([done, total]));

    expect(vectors).toHaveLength(texts.length);
    for (const v of vectors) {
      expect(Array.isArray(v)).toBe(true);
      expect(v).toHaveLength(256);
      expect(norm(v)).toBeCloseTo(1, 4);
    }
    // Batching (and sorting by length inside it) must not change or reorder vectors.
    const alone = await embedder.embedPassages([texts[9]!]);
    expect(dot(alone[0]!, vectors[9]!)).toBeCloseTo(1, 5);
    expect(progress.at(-1)).toEqual([texts.length, texts.length]);
    expect(progress.map(([done]) => done)).toEqual([...progress.map(([done]) => done)].sort((a, b) => a - b));
    expect(await embedder.embedPassages([])).toEqual([]);
  });

  it('puts a passage with "psychotropes" nearer to a question with "psychotrope" than an unrelated one', async () => {
    const [question] = await embedder.embedQueries(['Quelles sanctions pour la conduite sous psychotrope ?']);
    const [related, unrelated] = await embedder.embedPassages([
      "Les conducteurs testés positifs aux stupéfiants et aux psychotropes perdent leur permis.",
      'Le président russe a envoyé un message vidéo à la Rencontre internationale.',
    ]);
    expect(dot(question!, related!)).toBeGreaterThan(dot(question!, unrelated!) + 0.1);
  });

  it('keeps a misspelling near the right word', async () => {
    const [typo, right, other] = await embedder.embedQueries(['Séurité', 'sécurité', 'agriculture']);
    expect(dot(typo!, right!)).toBeGreaterThan(0.3);
    expect(dot(typo!, right!)).toBeGreaterThan(dot(typo!, other!) + 0.2);
    const [english] = await embedder.embedQueries(['security']);
    expect(dot(english!, right!)).toBeGreaterThan(dot(english!, other!) + 0.2);
  });
});

describe('loadEmbedder with a hub id', () => {
  it('downloads once into MODELS_DIR/<org>/<name>, then loads from there offline', async () => {
    // A stand-in for the Hugging Face hub, serving the project-built model as "test-org/static".
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      const match = /^\/test-org\/static\/resolve\/main\/(.+)$/.exec(req.url ?? '');
      const file = match ? path.join(dir, decodeURIComponent(match[1]!)) : '';
      if (!file || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      const body = readFileSync(file);
      res.writeHead(200, { 'content-length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const remoteHost = env.remoteHost;
    env.remoteHost = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
    const hubModels = await makeTempDir('news-quote-hub-');
    try {
      const online = await loadEmbedder({ model: 'test-org/static', modelsDir: hubModels, offline: false });
      if (!online.ok) throw new Error(online.message);
      for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx']) {
        expect(existsSync(path.join(hubModels, 'test-org', 'static', file)), file).toBe(true);
      }
    } finally {
      env.remoteHost = remoteHost;
      server.close();
    }
    const fetched = requests.length;
    const offline = await loadEmbedder({ model: 'test-org/static', modelsDir: hubModels, offline: true });
    if (!offline.ok) throw new Error(offline.message);
    expect(requests).toHaveLength(fetched);
    const [a] = await offline.embedder.embedQueries(['sécurité']);
    const [b] = await embedder.embedQueries(['sécurité']);
    expect(a).toEqual(b);
  });
});

describe('loadEmbedder failures', () => {
  it('offline and missing: names the model, the folder, that download is off, and the fixes', async () => {
    const result = await loadEmbedder({ model: 'Xenova/multilingual-e5-small', modelsDir, offline: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('"Xenova/multilingual-e5-small"');
    expect(result.message).toContain(path.join(modelsDir, 'Xenova', 'multilingual-e5-small'));
    expect(result.message).toMatch(/not allowed \(OFFLINE/);
    expect(result.message).toMatch(/connect to the internet once/);
    // The better fix first: the real model, which needs no setting once imported.
    expect(result.message).toContain('npm run model:import');
    expect(result.message).not.toContain('model:build');
    expect(result.message).not.toMatch(/\n|\bat .*:\d+:\d+/);
  });

  it('online but the hub is unreachable: fails fast instead of hanging', async () => {
    const started = Date.now();
    const result = await loadEmbedder({ model: 'news-quote-bot-tests/no-such-model', modelsDir, offline: false });
    expect(result.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(15_000);
    if (!result.ok) expect(result.message).toMatch(/download from the Hugging Face hub allowed/);
  }, 20_000);

  it('gives up on a hub that accepts the connection but never answers', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const remoteHost = env.remoteHost;
    env.remoteHost = `http://127.0.0.1:${port}/`;
    try {
      const started = Date.now();
      const result = await loadEmbedder({ model: 'org/silent-model', modelsDir, offline: false, hubTimeoutMs: 300 });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/did not answer/);
    } finally {
      env.remoteHost = remoteHost;
      for (const s of sockets) s.destroy();
      server.close();
    }
  });

  it('missing or broken folders say which folder and what is wrong', async () => {
    const missing = await loadEmbedder({ model: './models/nowhere', modelsDir, offline: true });
    expect(!missing.ok && missing.message).toMatch(/nowhere.*does not exist/);

    const broken = await brokenCopyOf(dir);
    const result = await loadEmbedder({ model: broken, modelsDir, offline: true });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain(broken);
      expect(result.message).toMatch(/could not be loaded/);
    }
  });
});

describe('denseCalibration', () => {
  it('is set for E5 models, imported ones included, and unknown (null) for others, such as the project model', async () => {
    const { denseCalibration } = await import('../src/core/answer/tuning.js');
    expect(denseCalibration(resolvePrefixScheme('Xenova/multilingual-e5-small').name)).not.toBeNull();
    const imported = { news_quote_bot: { family: 'e5', query_prefix: 'query: ', passage_prefix: 'passage: ' } };
    expect(resolvePrefixScheme('models/multilingual-e5-small-q4', imported)).toEqual({ name: 'e5', query: 'query: ', passage: 'passage: ' });
    expect(denseCalibration(resolvePrefixScheme('models/news-quote-static').name)).toBeNull();
  });
});
