/** The vector-store section of the report (pg.ts's figures): pgvector, the file store and brute force side by side. */
import { isMeasured, type FileFigures, type PgBenchResult, type PgFigures, type PgSizeResult, type SearchFigures } from './pg.js';
import { bytes, count, ms } from './report.js';
import type { StoreChildResult } from './store-child.js';
import type { LatencySummary } from './stats.js';

const NM = 'not measured';

export function formatPg(r: PgBenchResult, section: string): string[] {
  const out: string[] = [];
  const s = r.sizes;
  if (s.length === 0) return out;
  const q = s[0]!.queries;
  const pgAny = s.map((x) => x.pg).find(isMeasured);
  out.push(
    '',
    `${section}. Vector stores side by side: ${count(q)} query vectors against synthetic 384-dimension passage vectors (clustered, unit length, seed ${r.seed}); truth = exact top 10 by brute force; recall@10 counts ties`,
    `   Postgres: ${r.server}${pgAny ? ` — server ${pgAny.serverVersion}, pgvector ${pgAny.pgvectorVersion}` : ''}${r.external ? ' (a real server: given with --pg-url)' : ''}`,
    `   load average ${r.loadAverageStart.map((x) => x.toFixed(2)).join(' / ')} at the start of this section, ${r.loadAverageEnd.map((x) => x.toFixed(2)).join(' / ')} at its end (1 / 5 / 15 min)`,
  );
  const lines: string[][] = [];
  const add = (label: string, f: (x: PgSizeResult) => string): void => void lines.push([label, ...s.map(f)]);
  const pg = (f: (p: PgFigures) => string) => (x: PgSizeResult): string => (isMeasured(x.pg) ? f(x.pg) : NM);
  const file = (f: (p: FileFigures) => string) => (x: PgSizeResult): string => (isMeasured(x.file) ? f(x.file) : NM);
  const bot = (b: StoreChildResult | { notMeasured: string }): string => (isMeasured(b) ? `${bytes(b.rssAfterSearchesBytes)} (peak ${bytes(b.maxRssBytes)})` : NM);
  add('passages (vectors)', (x) => count(x.target));
  add(`pgvector HNSW, ef ${r.pgSearchEf} (the store's): recall@10`, pg((p) => recall(p.search)));
  add('  p50 / p95 (through PgCorpusStore.search)', pg((p) => pair(p.search.latency)));
  add('  planner used the HNSW index', pg((p) => (p.indexUsed ? 'yes' : 'NO (sequential scan)')));
  add(`file store (hnswlib), ef ${r.fileSearchEf} (the store's): recall@10`, file((f) => `${recall(f.search)}${f.kind === 'exact' ? ' (exact scan: no graph at this size)' : ''}`));
  add('  p50 / p95', file((f) => pair(f.search.latency)));
  add('brute force (JS, Float32Array): p50 / p95', (x) => pair(x.bruteForce));
  add('ingestion, pgvector: rows (batches of 1,000)', pg((p) => `${rate(p.loadPerSecond)} (${ms(p.loadMs)})`));
  add('  HNSW index built after the load', pg((p) => ms(p.indexMs)));
  add('  rows + index', pg((p) => `${rate(p.totalPerSecond)} (${ms(p.loadMs + p.indexMs)})`));
  add('  then one row per transaction, index maintained', pg((p) => (isMeasured(p.incremental) ? rate(p.incremental.perSecond) : NM)));
  add('ingestion, file store: vectors + graph', file((f) => `${rate(f.perSecond)} (${ms(f.buildMs)})`));
  add('on disk: pgvector table / HNSW index', pg((p) => `${bytes(p.tableBytes)} / ${bytes(p.indexBytes)}`));
  add('on disk: file store', file((f) => bytes(f.diskBytes)));
  add('memory, bot process with the Postgres store (RSS)', pg((p) => bot(p.bot)));
  add('memory, bot process with the file store (RSS)', file((f) => bot(f.bot)));
  add(r.server.startsWith('PGlite') ? 'memory, the PGlite server process (RSS / peak)' : 'memory, the server\'s processes summed (RSS / peaks)', pg((p) => (p.serverRss ? `${bytes(p.serverRss.afterSearchesBytes)} / ${bytes(p.serverRss.peakBytes)}` : 'not this machine')));
  out.push(indent(table(['', ...s.map((x) => count(x.target))], lines)));
  for (const x of s) {
    if (!isMeasured(x.pg)) out.push(`   ${count(x.target)}, pgvector: not measured: ${x.pg.notMeasured}`);
    if (!isMeasured(x.file)) out.push(`   ${count(x.target)}, file store: not measured: ${x.file.notMeasured}`);
  }
  for (const x of s) {
    const p = isMeasured(x.pg) ? x.pg.sweep : [];
    const f = isMeasured(x.file) ? x.file.sweep : [];
    const efs = [...new Set([...p.map((e) => e.ef), ...f.map((e) => e.ef)])].sort((a, b) => a - b);
    if (efs.length === 0) continue;
    out.push(`   ef sweep at ${count(x.target)} passages (same queries, same truth):`);
    const at = (list: SearchFigures[], ef: number): string[] => {
      const e = list.find((y) => y.ef === ef);
      return e ? [recall(e), ms(e.latency.p50Ms), ms(e.latency.p95Ms)] : ['–', '–', '–'];
    };
    out.push(indent(table(['ef', 'pgvector recall@10', 'p50', 'p95', 'file store recall@10', 'p50', 'p95'], efs.map((ef) => [String(ef), ...at(p, ef), ...at(f, ef)])), 2));
  }
  out.push(
    '   Memory: "bot process" is one Node process holding only that store and answering the queries (no text index, no model: add those from',
    '   section 3). The file store keeps its vectors and graph in the bot; the Postgres store keeps none, they live in the database server.',
    `   ${r.external ? 'The Postgres server here is a separate server whose memory is not counted anywhere above.' : r.server.startsWith('PGlite') ? 'Here that server is PGlite in its own process, measured apart; a real Postgres is a separate server (its own machine or container) whose memory is not in the bot\'s.' : 'Here that server is a native PostgreSQL on this machine, its processes\' memory summed (shared buffers counted in each process that touched them, so an upper bound); in production it is a separate server whose memory is not in the bot\'s.'}`,
    `   Ingestion: rows go in with multi-row INSERTs, then CREATE INDEX … USING hnsw (m 16, ef_construction 200, as the store's first update does,`,
    `   maintenance_work_mem ${r.maintenanceWorkMem}); rows added later are inserted into the index one by one. pgvector latency includes the store's`,
    '   four round trips per search (BEGIN, SET LOCAL hnsw.ef_search, SELECT, COMMIT) over TCP on this machine.',
  );
  if (!r.external && r.server.startsWith('PGlite')) out.push('   PGlite is Postgres compiled to 32-bit WebAssembly, one session, no parallel index build: a native Postgres is faster at every row above.');
  return out;
}

const recall = (x: SearchFigures): string => x.recallAt10.toFixed(3);
const pair = (l: LatencySummary): string => `${ms(l.p50Ms)} / ${ms(l.p95Ms)}`;
const rate = (perSecond: number): string => `${count(Math.round(perSecond))}/s`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function indent(text: string, extra = 0): string {
  return text
    .split('\n')
    .map((l) => `   ${' '.repeat(extra)}${l}`)
    .join('\n');
}
