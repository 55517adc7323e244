/** One evaluation question: `source` null means the corpus cannot answer it. */
export interface EvalQuestion {
  q: string;
  source: string | null;
  expect: string | null;
  lang: string;
  /** plain, paraphrase, english, casual, when (answerable); trap, off-topic (unanswerable); null when a file gives none. */
  category?: string | null;
  /** `dev` (looked at while tuning) or `held-out` (only measured); null when a file gives none. */
  split?: string | null;
}

/** What a system returned for one question. */
export interface EvalRun {
  /** It gave an answer: the bot's "related" passages (closest, not an answer) count as an abstention. */
  answered: boolean;
  results: { source: string; quote: string }[];
  ms: number;
  /** Quotes that are not a verbatim part of their source file (must be 0), when checked. */
  nonVerbatim?: number;
}

export interface Scores {
  questions: number;
  answerable: number;
  unanswerable: number;
  hitAt1: number;
  hitAt3: number;
  mrr: number;
  /** Of the abstentions, the share that were on unanswerable questions. */
  abstentionPrecision: number;
  /** Of the unanswerable questions, the share abstained on. */
  abstentionRecall: number;
  /** Of the answerable questions, the share wrongly abstained on. */
  falseAbstentionRate: number;
  p50ms: number;
  p95ms: number;
  /** Quotes not found verbatim in their source, over all questions. */
  nonVerbatim: number;
}

const norm = (s: string): string => s.replace(/\s+/gu, ' ').trim().toLowerCase();

/** What the bot's answer counts as: only an answer answers; its "related" passages are the bot saying it has none. */
export function asRun(a: { match: string; results: readonly { source: string; quote: string }[] }, ms: number, nonVerbatim?: number): EvalRun {
  const answered = a.match === 'answer';
  return { answered, results: answered ? [...a.results] : [], ms, ...(nonVerbatim === undefined ? {} : { nonVerbatim }) };
}

/** Rank (1-based) of the first result from the right file that contains the expected words, or 0. */
export function hitRank(q: EvalQuestion, run: EvalRun): number {
  if (q.source === null || q.expect === null || !run.answered) return 0;
  const expect = norm(q.expect);
  const i = run.results.findIndex((r) => r.source === q.source && norm(r.quote).includes(expect));
  return i + 1;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function score(questions: readonly EvalQuestion[], runs: readonly EvalRun[]): Scores {
  const answerable = questions.filter((q) => q.source !== null).length;
  const unanswerable = questions.length - answerable;
  let hit1 = 0;
  let hit3 = 0;
  let rr = 0;
  let abstained = 0;
  let rightAbstentions = 0;
  let wrongAbstentions = 0;
  questions.forEach((q, i) => {
    const run = runs[i]!;
    if (!run.answered) {
      abstained++;
      if (q.source === null) rightAbstentions++;
      else wrongAbstentions++;
    }
    const rank = hitRank(q, run);
    if (rank === 1) hit1++;
    if (rank >= 1 && rank <= 3) hit3++;
    if (rank >= 1) rr += 1 / rank;
  });
  const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
  const ms = runs.map((r) => r.ms);
  return {
    questions: questions.length,
    answerable,
    unanswerable,
    hitAt1: ratio(hit1, answerable),
    hitAt3: ratio(hit3, answerable),
    mrr: ratio(rr, answerable),
    abstentionPrecision: ratio(rightAbstentions, abstained),
    abstentionRecall: ratio(rightAbstentions, unanswerable),
    falseAbstentionRate: ratio(wrongAbstentions, answerable),
    p50ms: percentile(ms, 50),
    p95ms: percentile(ms, 95),
    nonVerbatim: runs.reduce((n, r) => n + (r.nonVerbatim ?? 0), 0),
  };
}

/** Parses a questions file (JSON lines); throws with the line number on a bad line. */
export function parseQuestions(text: string): EvalQuestion[] {
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, n }) => {
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        throw new Error(`line ${n}: not valid JSON`);
      }
      const o = v as Partial<EvalQuestion>;
      if (typeof o.q !== 'string' || o.q.trim() === '') throw new Error(`line ${n}: "q" must be a non-empty string`);
      if (o.source !== null && typeof o.source !== 'string') throw new Error(`line ${n}: "source" must be a file name or null`);
      if (o.source !== null && typeof o.expect !== 'string') throw new Error(`line ${n}: "expect" is required when "source" is set`);
      return {
        q: o.q,
        source: o.source,
        expect: o.expect ?? null,
        lang: typeof o.lang === 'string' ? o.lang : 'fr',
        category: typeof o.category === 'string' ? o.category : null,
        split: typeof o.split === 'string' ? o.split : null,
      };
    });
}

/** Scores of the questions that share a key (language, category, split), keyed by it in sorted order. */
export function scoreBy(questions: readonly EvalQuestion[], runs: readonly EvalRun[], key: (q: EvalQuestion) => string | null | undefined): Record<string, Scores> {
  const keys = [...new Set(questions.map(key).filter((k): k is string => typeof k === 'string'))].sort();
  return Object.fromEntries(
    keys.map((k) => {
      const idx = questions.flatMap((q, i) => (key(q) === k ? [i] : []));
      return [k, score(idx.map((i) => questions[i]!), idx.map((i) => runs[i]!))];
    }),
  );
}

/** An answerable question whose expected quote one system ranks lower than another (0: not quoted). */
export interface RankDrop {
  q: string;
  category: string | null;
  /** Rank with the system that should never do worse (hybrid), and with the one it is compared to (lexical). */
  rank: number;
  than: number;
}

/** The answerable questions where `runs` rank the expected quote below `than` (not quoted counts as below). */
export function rankDrops(questions: readonly EvalQuestion[], runs: readonly EvalRun[], than: readonly EvalRun[]): RankDrop[] {
  return questions.flatMap((q, i) => {
    const other = hitRank(q, than[i]!);
    const rank = hitRank(q, runs[i]!);
    return other > 0 && (rank === 0 || rank > other) ? [{ q: q.q, category: q.category ?? null, rank, than: other }] : [];
  });
}
