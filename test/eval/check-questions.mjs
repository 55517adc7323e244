#!/usr/bin/env node
// Validates test/eval/questions.jsonl against the seed articles.
// Usage: node test/eval/check-questions.mjs [path/to/questions.jsonl]
// Plain Node ESM, no dependencies. Exits 1 on any violation.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const seedsDir = resolve(here, '../../seeds');
const questionsPath = resolve(process.argv[2] ?? join(here, 'questions.jsonl'));

const LIMITS = {
  minTotal: 176,
  maxTotal: 400,
  minUnanswerable: 56,
  minTraps: 30,
  minEnglishTraps: 15,
  minDateQuestions: 19,
  maxExpectWords: 10, // the brief says "roughly 2-8 words"; more than 8 is only a warning
};
const KEYS = ['q', 'source', 'expect', 'lang', 'category', 'split'];
const LANGS = new Set(['fr', 'en']);
// Answerable categories, then the unanswerable ones ("trap": real names, asking what the articles do not state).
const ANSWERABLE = new Set(['plain', 'paraphrase', 'english', 'casual', 'when']);
const UNANSWERABLE = new Set(['trap', 'off-topic']);
// "dev" questions may be looked at while tuning; "held-out" ones only measured.
const SPLITS = new Set(['dev', 'held-out']);
const DATE_QUESTION = /(^|[^\p{L}])(quand|when)([^\p{L}]|$)/iu;

const collapse = (s) => s.replace(/\s+/g, ' ').trim();

const errors = [];
const warnings = [];
const fail = (line, msg) => errors.push(line ? `line ${line}: ${msg}` : msg);
const warn = (line, msg) => warnings.push(line ? `line ${line}: ${msg}` : msg);

if (!existsSync(seedsDir)) {
  console.error(`check-questions: seeds directory not found: ${seedsDir}`);
  process.exit(1);
}
if (!existsSync(questionsPath)) {
  console.error(`check-questions: questions file not found: ${questionsPath}`);
  process.exit(1);
}

// Lines that the bot never quotes: photo captions, "Photos : VNA/CVN", "Comment (0)",
// and lines that occur more than once in a file (repeated titles, repeated captions).
function isExcludedLine(line, counts) {
  const t = collapse(line);
  if (t === '') return true;
  if (/\bPhotos?\s*[:.]\s*.{0,40}VNA(\/CVN)?\.?$/i.test(t)) return true; // "... Photo : VNA", "Photos : VNA/CVN"

  if (/^Comment \(\d+\)$/.test(t)) return true;
  if ((counts.get(t) ?? 0) > 1) return true;
  return false;
}

const seedCache = new Map();
function loadSeed(name) {
  if (seedCache.has(name)) return seedCache.get(name);
  const raw = readFileSync(join(seedsDir, name), 'utf8');
  const lines = raw.split(/\r?\n/);
  const counts = new Map();
  for (const l of lines) {
    const t = collapse(l);
    if (t) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const seed = {
    full: collapse(raw),
    answerLines: lines.filter((l) => !isExcludedLine(l, counts)).map(collapse),
  };
  seedCache.set(name, seed);
  return seed;
}

const raw = readFileSync(questionsPath, 'utf8');
const lines = raw.split('\n');
if (lines.at(-1) === '') lines.pop();

const records = [];
const seenQ = new Map();
lines.forEach((text, i) => {
  const n = i + 1;
  if (text.trim() === '') {
    fail(n, 'empty line');
    return;
  }
  let obj;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    fail(n, `invalid JSON (${e.message})`);
    return;
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    fail(n, 'not a JSON object');
    return;
  }
  for (const k of KEYS) if (!(k in obj)) fail(n, `missing field "${k}"`);
  for (const k of Object.keys(obj)) if (!KEYS.includes(k)) fail(n, `unexpected field "${k}"`);

  const { q, source, expect, lang, category, split } = obj;
  if (typeof q !== 'string' || q.trim() === '') fail(n, '"q" must be a non-empty string');
  if (!LANGS.has(lang)) fail(n, `"lang" must be "fr" or "en", got ${JSON.stringify(lang)}`);
  if (!SPLITS.has(split)) fail(n, `"split" must be "dev" or "held-out", got ${JSON.stringify(split)}`);
  if (source === null ? !UNANSWERABLE.has(category) : !ANSWERABLE.has(category)) {
    fail(n, `"category" ${JSON.stringify(category)} must be one of ${[...(source === null ? UNANSWERABLE : ANSWERABLE)].join(', ')} for ${source === null ? 'an unanswerable' : 'an answerable'} question`);
  }

  if (typeof q === 'string') {
    const key = collapse(q).toLowerCase();
    if (seenQ.has(key)) fail(n, `duplicate question (same as line ${seenQ.get(key)})`);
    else seenQ.set(key, n);
  }

  if (source === null) {
    if (expect !== null) fail(n, '"expect" must be null when "source" is null');
  } else if (typeof source !== 'string' || source === '') {
    fail(n, '"source" must be a file name string or null');
  } else if (source.includes('/') || source.includes('\\')) {
    fail(n, `"source" must be a bare file name, got ${JSON.stringify(source)}`);
  } else if (!existsSync(join(seedsDir, source))) {
    fail(n, `source file not found in ${seedsDir}: ${source}`);
  } else if (typeof expect !== 'string' || collapse(expect) === '') {
    fail(n, '"expect" must be a non-empty string when "source" is set');
  } else {
    const seed = loadSeed(source);
    const want = collapse(expect);
    if (want !== expect) fail(n, `"expect" has leading/trailing or repeated whitespace: ${JSON.stringify(expect)}`);
    if (!seed.full.includes(want)) {
      fail(n, `"expect" is not a substring of ${source} (after whitespace collapsing): ${JSON.stringify(expect)}`);
    } else if (!seed.answerLines.some((l) => l.includes(want))) {
      fail(n, `"expect" only occurs in an excluded line (caption / repeated title / "Comment") of ${source}: ${JSON.stringify(expect)}`);
    }
    const words = want.split(' ').length;
    if (words > LIMITS.maxExpectWords) fail(n, `"expect" is too long (${words} words, max ${LIMITS.maxExpectWords})`);
    else if (words > 8) warn(n, `"expect" is longer than 8 words (${words})`);
  }

  records.push({ n, q, source, expect, lang, category });
});

// Summary.
const total = records.length;
const byLang = { fr: 0, en: 0 };
const bySource = new Map();
let unanswerable = 0;
let dateQuestions = 0;
const unanswerableByLang = { fr: 0, en: 0 };
for (const r of records) {
  if (LANGS.has(r.lang)) byLang[r.lang]++;
  if (r.source === null) {
    unanswerable++;
    if (LANGS.has(r.lang)) unanswerableByLang[r.lang]++;
  } else if (typeof r.source === 'string') {
    bySource.set(r.source, (bySource.get(r.source) ?? 0) + 1);
  }
  if (r.source !== null && typeof r.q === 'string' && DATE_QUESTION.test(r.q)) dateQuestions++;
}

if (total < LIMITS.minTotal || total > LIMITS.maxTotal) {
  fail(0, `expected ${LIMITS.minTotal}-${LIMITS.maxTotal} questions, found ${total}`);
}
if (unanswerable < LIMITS.minUnanswerable) {
  fail(0, `expected at least ${LIMITS.minUnanswerable} unanswerable questions, found ${unanswerable}`);
}
const traps = records.filter((r) => r.category === 'trap');
if (traps.length < LIMITS.minTraps) fail(0, `expected at least ${LIMITS.minTraps} near-topic traps, found ${traps.length}`);
if (traps.filter((r) => r.lang === 'en').length < LIMITS.minEnglishTraps) fail(0, `expected at least ${LIMITS.minEnglishTraps} English near-topic traps`);
if (dateQuestions < LIMITS.minDateQuestions) {
  fail(0, `expected at least ${LIMITS.minDateQuestions} answerable "quand/when" questions, found ${dateQuestions}`);
}
for (const name of readdirSync(seedsDir).filter((f) => f.endsWith('.txt')).sort()) {
  if (!bySource.has(name)) fail(0, `no question covers seed file ${name}`);
}

console.log(`questions file: ${questionsPath}`);
console.log(`total: ${total}`);
console.log(`lang: fr ${byLang.fr}, en ${byLang.en}`);
console.log(`answerable: ${total - unanswerable}, unanswerable: ${unanswerable} (fr ${unanswerableByLang.fr}, en ${unanswerableByLang.en})`);
console.log(`answerable date questions (quand/when): ${dateQuestions}`);
console.log('per source:');
for (const [name, count] of [...bySource.entries()].sort()) console.log(`  ${name}: ${count}`);
console.log(`  (none / unanswerable): ${unanswerable}`);

for (const w of warnings) console.warn(`warning: ${w}`);
if (errors.length > 0) {
  console.error(`\ncheck-questions: ${errors.length} violation(s):`);
  for (const e of errors) console.error(`  ${e}`);
  process.exit(1);
}
console.log('\nOK');
