import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './helpers/cli.js';
import { ROOT, normalisedSeed } from './helpers/seeds.js';

function ask(args: string[], env: Record<string, string> = {}): CliResult {
  return runCli('ask', args, { EMBEDDING_MODEL: path.join(ROOT, 'no-such-model'), OFFLINE: '1', ...env });
}

const RESULT_KEYS = ['quote', 'source', 'title', 'date', 'dateText', 'link', 'score'];

describe('ask CLI', () => {
  it('--json prints exactly one object with the contract fields', () => {
    const r = ask(['--json', 'Quand a été signé le mémorandum sur les substances psychotropes ?']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const a = JSON.parse(lines[0]!);
    expect(a).toMatchObject({ question: 'Quand a été signé le mémorandum sur les substances psychotropes ?', answered: true, match: 'answer' });
    expect(Object.keys(a)).toEqual(['question', 'answered', 'match', 'mode', 'model', 'results']);
    expect(['lexical', 'hybrid', 'dense']).toContain(a.mode);
    expect(a.results.length).toBeGreaterThan(0);
    expect(a.results.length).toBeLessThanOrEqual(3);
    for (const res of a.results) {
      for (const k of RESULT_KEYS) expect(res).toHaveProperty(k);
      expect(typeof res.score).toBe('number');
      expect(normalisedSeed(res.source)).toContain(res.quote);
    }
  });

  it('answers "APEC 2017" from the seed that writes "APEC2017"', () => {
    const a = JSON.parse(ask(['--json', "Quel sommet de l'APEC 2017 ?"]).stdout);
    expect(a.answered).toBe(true);
    expect(a.results[0].quote).toContain("sommet de l'APEC2017 en novembre prochain");
    expect(normalisedSeed(a.results[0].source)).toContain(a.results[0].quote);
  });

  it('drops whole ANSI colour sequences from the question', () => {
    const a = JSON.parse(ask(['--json', "\u001b[31mQui dirige l'ONUDC ?\u001b[0m"]).stdout);
    expect(a.question).toBe("Qui dirige l'ONUDC ?");
  });

  it('--json names the model that answered, null in lexical mode', () => {
    const a = JSON.parse(ask(['--json', 'Qui dirige l’ONUDC ?']).stdout);
    expect(a).toMatchObject({ mode: 'lexical', model: null });
  });

  it('says the articles are in French when an English question finds nothing', () => {
    const r = ask(['What is the best recipe for apple pie?']);
    expect(r.stdout).toMatch(/^Nothing in the articles answers/u);
    expect(r.stdout).toContain('The articles are in French');
  });

  it('--json says answered:false with no results when the corpus does not answer', () => {
    const a = JSON.parse(ask(['--json', 'Quelle est la recette de la tarte aux pommes ?']).stdout);
    expect(a).toMatchObject({ answered: false, results: [] });
    expect(a).not.toHaveProperty('match');
  });

  it('sets "related" quotes apart: match:"related" in --json, a heading first in text', () => {
    const q = "Combien a coûté l'organisation de la cérémonie de signature ?";
    const a = JSON.parse(ask(['--json', q]).stdout);
    expect(a).toMatchObject({ answered: true, match: 'related' });
    expect(a.results.length).toBeGreaterThan(0);
    for (const res of a.results) expect(normalisedSeed(res.source)).toContain(res.quote);
    const text = ask([q]).stdout;
    expect(text.split('\n')[0]).toBe('Les articles ne répondent pas à cette question. Passages les plus proches (pas une réponse) :');
    expect(text).toContain(a.results[0].quote);
  });

  it('answers from a folder whose article repeats its own sentences', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ask-repeat-'));
    const lead = 'Le texte entre en vigueur en mai. Il prévoit des patrouilles communes. La police salue cette avancée.';
    writeFileSync(path.join(dir, 'a.txt'), `Le ministre a signé l’accord à Hanoï. Les deux pays coopèrent depuis 2020. ${lead}\n\n${lead}\n`);
    const r = ask(['--json', 'Quand le texte entre-t-il en vigueur ?'], { SEEDS_DIR: dir });
    expect(r.stderr).not.toMatch(/duplicate/i);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0].quote).toMatch(/^Le texte entre en vigueur en mai\./u);
  });

  it('--file answers one question per line, in order', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ask-'));
    const file = path.join(dir, 'q.txt');
    const qs = ['Qui a reçu les chefs de délégation ?', 'Quelle est la recette du gâteau au chocolat ?', 'Quand le ministre To Lam a-t-il rencontré Patrushev à Saint-Pétersbourg ?'];
    writeFileSync(file, `${qs.join('\n')}\n\n`);
    const r = ask(['--json', '--file', file]);
    expect(r.code).toBe(0);
    const answers = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(answers.map((a) => a.question)).toEqual(qs);
    expect(answers.map((a) => a.answered)).toEqual([true, false, true]);
  });

  it('--conversation answers each turn following up on the one before, a blank line starting a new conversation', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ask-conv-'));
    const file = path.join(dir, 'turns.txt');
    writeFileSync(file, 'Qui a reçu les chefs de délégation ?\nEt quand ?\n\nEt quand ?\n');
    const r = ask(['--json', '--conversation', file]);
    expect(r.code).toBe(0);
    const turns = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(turns.map((t) => t.question)).toEqual(['Qui a reçu les chefs de délégation ?', 'Et quand ?', 'Et quand ?']);
    // The same shape as --json, plus the question as understood.
    expect(Object.keys(turns[1])).toEqual(['question', 'answered', 'match', 'understood', 'mode', 'model', 'results']);
    expect(turns[0].understood).toBe('Qui a reçu les chefs de délégation ?');
    expect(turns[1].understood).toBe('quand reçu les chefs de délégation ?');
    expect(turns[1].results[0].quote).toContain('25 octobre');
    // After the blank line, "Et quand ?" has nothing to follow up on.
    expect(turns[2].understood).toBe('Et quand ?');
    expect(turns[2].answered).toBe(false);
  });

  it('prints a readable answer with title, date and file', () => {
    const r = ask(['Quel protocole le Vietnam et Singapour ont-ils signé en 2022 ?']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1\. « .+ »$/mu);
    expect(r.stdout).toContain('2023-11');
    expect(r.stdout).toContain('003_c9ff3885ea96f6c4.txt');
  });

  it.each([
    ['an empty question', ['   ']],
    ['an over-long question', ['x'.repeat(1001)]],
    ['no question', []],
    ['an unknown option', ['--bogus', 'q']],
  ])('rejects %s with one line on stderr and a non-zero exit', (_name, args) => {
    const r = ask(args);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: /u);
    expect(r.stderr).not.toMatch(/\n\s+at /u);
  });
});
