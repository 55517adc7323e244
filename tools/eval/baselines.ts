import { create, insertMultiple, search } from '@orama/orama';
import MiniSearch from 'minisearch';
import type { Passage } from '../../src/core/types.js';
import type { EvalRun } from './metrics.js';

/**
 * What a developer would reach for instead of this project: a search library with its
 * default settings over the same passages, the top passages taken as the answer.
 */
export interface Baseline {
  name: string;
  run(question: string): Promise<EvalRun>;
}

const TOP = 3;

export function miniSearchDefault(passages: readonly Passage[]): Baseline {
  const ms = new MiniSearch<Passage>({ fields: ['text', 'title'], storeFields: [] });
  ms.addAll(passages as Passage[]);
  const byId = new Map(passages.map((p) => [p.id, p]));
  return {
    name: 'MiniSearch (defaults)',
    async run(question) {
      const t = performance.now();
      const hits = ms.search(question).slice(0, TOP);
      return toRun(hits.map((h) => byId.get(String(h.id))!), performance.now() - t);
    },
  };
}

export async function oramaDefault(passages: readonly Passage[]): Promise<Baseline> {
  const db = create({ schema: { pid: 'string', text: 'string', title: 'string' } as const });
  await insertMultiple(db, passages.map((p) => ({ pid: p.id, text: p.text, title: p.title })));
  const byId = new Map(passages.map((p) => [p.id, p]));
  return {
    name: 'Orama (defaults)',
    async run(question) {
      const t = performance.now();
      const r = await search(db, { term: question, properties: ['text', 'title'], limit: TOP });
      return toRun(r.hits.map((h) => byId.get(h.document.pid)!), performance.now() - t);
    },
  };
}

function toRun(hits: Passage[], ms: number): EvalRun {
  return { answered: hits.length > 0, results: hits.map((p) => ({ source: p.file, quote: p.text })), ms };
}
