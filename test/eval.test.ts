import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hitRank, parseQuestions, percentile, score, type EvalQuestion, type EvalRun } from '../tools/eval/metrics.js';
import { runCli } from './helpers/cli.js';
import { ROOT } from './helpers/seeds.js';
import { makeTempDir } from './helpers/static-model.js';

const q = (source: string | null, expect: string | null): EvalQuestion => ({ q: 'x', source, expect, lang: 'fr' });
const run = (answered: boolean, results: [string, string][]): EvalRun => ({ answered, results: results.map(([source, quote]) => ({ source, quote })), ms: 1 });

describe('evaluation metrics', () => {
  it('counts a hit only for the right file containing the expected words', () => {
    expect(hitRank(q('a.txt', 'signé le 17'), run(true, [['b.txt', 'signé le 17'], ['a.txt', 'Il a  signé le 17 octobre']]))).toBe(2);
    expect(hitRank(q('a.txt', 'signé le 17'), run(true, [['a.txt', 'autre chose']]))).toBe(0);
    expect(hitRank(q('a.txt', 'x'), run(false, []))).toBe(0);
  });

  it('computes hit@k, MRR, abstention precision and recall', () => {
    const questions = [q('a.txt', 'un'), q('a.txt', 'deux'), q(null, null), q(null, null)];
    const runs = [run(true, [['a.txt', 'un']]), run(true, [['b.txt', 'x'], ['a.txt', 'deux']]), run(false, []), run(true, [['a.txt', 'z']])];
    const s = score(questions, runs);
    expect(s.hitAt1).toBe(0.5);
    expect(s.hitAt3).toBe(1);
    expect(s.mrr).toBeCloseTo(0.75);
    expect(s.abstentionPrecision).toBe(1);
    expect(s.abstentionRecall).toBe(0.5);
    expect(s.falseAbstentionRate).toBe(0);
  });

  it('percentiles', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBe(95);
  });

  it('rejects a malformed questions file with the line number', () => {
    expect(() => parseQuestions('{"q":"a","source":null,"expect":null}\nnot json')).toThrow(/line 2/u);
    expect(() => parseQuestions('{"q":"a","source":"x.txt"}')).toThrow(/expect/u);
  });
});

describe('the evaluation set', () => {
  it('is valid: every expected quote is in its source, with the counts the issue asks for', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'test/eval/check-questions.mjs')], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});

describe('the conversation set', () => {
  it('is valid: conversations of 2–4 turns starting with a question of their own, every expected quote in its source, at least 30 conversations in both languages', async () => {
    const { readFileSync } = await import('node:fs');
    const { parseConversations } = await import('../tools/eval/conversations.js');
    const turns = parseConversations(readFileSync(path.join(ROOT, 'test/eval/conversations.jsonl'), 'utf8'));
    const collapse = (t: string) => t.replace(/\s+/gu, ' ').trim().toLowerCase();
    const byId = new Map<string, typeof turns>();
    for (const t of turns) byId.set(t.conversation, [...(byId.get(t.conversation) ?? []), t]);
    expect(byId.size).toBeGreaterThanOrEqual(30);
    for (const [id, conv] of byId) {
      expect(conv.length, id).toBeGreaterThanOrEqual(2);
      expect(conv.length, id).toBeLessThanOrEqual(4);
      expect(conv[0]!.category, id).toBe('first');
      expect(conv.slice(1).every((t) => ['follow-up', 'replace', 'own-anchors'].includes(t.category ?? '')), id).toBe(true);
      // A conversation's turns sit together in the file.
      const first = turns.indexOf(conv[0]!);
      expect(turns.slice(first, first + conv.length).every((t) => t.conversation === id), id).toBe(true);
    }
    for (const t of turns.filter((x) => x.source !== null)) expect(collapse(readFileSync(path.join(ROOT, 'seeds', t.source!), 'utf8')), t.q).toContain(collapse(t.expect!));
    expect(new Set(turns.filter((t) => t.category !== 'first').map((t) => t.lang))).toEqual(new Set(['fr', 'en']));
  });
});

describe('npm run eval', () => {
  it('--json --questions FILE prints one object with scores per system and language', async () => {
    const file = path.join(await makeTempDir('eval-'), 'q.jsonl');
    writeFileSync(
      file,
      [
        { q: 'Quand a été signé le mémorandum sur les substances psychotropes ?', source: '002_09a78b2aaf5faed8.txt', expect: 'substances psychotropes', lang: 'fr' },
        { q: 'Quelle est la recette de la tarte aux pommes ?', source: null, expect: null, lang: 'fr' },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n'),
    );
    const r = runCli('eval', ['--json', '--questions', file], { EMBEDDING_MODEL: path.join(ROOT, 'no-such-model'), OFFLINE: '1' });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    const systems = report.results.map((x: { system: string }) => x.system);
    expect(systems).toEqual(['this bot, lexical', 'MiniSearch (defaults)', 'Orama (defaults)']);
    const ours = report.results[0];
    expect(ours.all).toMatchObject({ questions: 2, answerable: 1, unanswerable: 1, hitAt1: 1, abstentionRecall: 1 });
    expect(Object.keys(ours.byLang)).toEqual(['fr']);
  });

  it('refuses a missing questions file with one line', () => {
    const r = runCli('eval', ['--questions', '/nonexistent/q.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: cannot read/u);
  });
});
