/** Turns the benchmark's figures into the human-readable report. */
import type { ThroughputResult } from './embedding.js';
import type { HnswBenchResult } from './hnsw.js';
import type { IndexBuildResult } from './index-build.js';
import type { MachineInfo } from './machine.js';
import type { MemoryReport } from './memory.js';
import type { ModeLatency, QueryBenchResult } from './query.js';
import type { LatencySummary } from './stats.js';

/** Everything one run measured; also what `--json` prints. */
export interface BenchResult {
  startedAt: string;
  runtimeSeconds: number;
  options: { quick: boolean; vectors: number; embedSeconds: number; queryRepetitions: number; hnswRepetitions: number };
  machine: MachineInfo;
  embedding: {
    project: ThroughputResult & { vocabSize: number; buildMs: number };
    /** Throughput of the default hub model, or why it was skipped. */
    default: { model: string } & ({ skipped: false; result: ThroughputResult } | { skipped: true; reason: string });
  };
  index: IndexBuildResult & { model: string };
  queries: QueryBenchResult;
  hnsw: HnswBenchResult;
  memory: MemoryReport;
}

/** The report as printed without `--json`. */
export function formatBench(r: BenchResult): string {
  const out: string[] = [];
  const run = r.options.quick ? 'quick run' : 'full run';
  out.push(`news-quote-bot benchmark (${run}, ${r.options.vectors} synthetic vectors), started ${r.startedAt}, took ${r.runtimeSeconds.toFixed(1)} s`);

  const m = r.machine;
  out.push('', '1. Machine');
  out.push(`   CPU      ${m.cpuModel}, ${m.cores} cores (${m.availableParallelism} usable by this process)`);
  out.push(`   Memory   ${bytes(m.totalMemoryBytes)}`);
  out.push(`   Node     ${m.node} (${m.platform})`);

  const p = r.embedding.project;
  out.push('', `2. Embedding throughput: embedPassages on the ${p.corpusPassages} seed passages (mean ${p.meanPassageChars.toFixed(0)} chars), one call per pass, passes repeated for ~${r.options.embedSeconds} s after a warm-up pass`);
  const rows: string[][] = [row(`${p.model} (built from the seeds in ${ms(p.buildMs)}, ${p.vocabSize} tokens)`, p)];
  const d = r.embedding.default;
  if (!d.skipped) rows.push(row(d.model, d.result));
  out.push(indent(table(['model', 'dim', 'load', 'passes', 'passages', 'seconds', 'passages/s'], rows, 1)));
  if (d.skipped) out.push(`   ${d.model}: ${d.reason}`);

  const x = r.index;
  out.push('', `3. Vector index on the seed corpus (${x.passages} passages, ${x.sentences} sentences; model ${x.model})`);
  out.push(`   build from scratch   ${ms(x.buildMs).padStart(9)}   ${counts(x.buildReport)}`);
  out.push(`   re-index, no change  ${ms(x.reindexMs).padStart(9)}   ${counts(x.reindexReport)}`);
  out.push(`   load and verify      ${ms(x.loadMs).padStart(9)}`);
  out.push(`   on disk              ${bytes(x.totalBytes).padStart(9)}   ${x.files.map((f) => `${f.name} ${bytes(f.bytes)}`).join(', ')}`);

  const q = r.queries;
  out.push('', `4. Question → answer latency: ${q.questions} questions × ${q.repetitions} passes after one warm-up pass (engine startup ${ms(q.startupMs)}, model ${q.model ?? 'none'})`);
  const modes: [string, ModeLatency][] = [['lexical-only', q.lexical]];
  if (q.hybrid) modes.push([q.mode, q.hybrid]);
  out.push(
    indent(
      table(
        ['mode', 'n', 'mean', 'p50', 'p95', 'max', 'answered'],
        modes.map(([name, s]) => [name, String(s.n), ms(s.meanMs), ms(s.p50Ms), ms(s.p95Ms), ms(s.maxMs), pct(s.answeredShare)]),
        1,
      ),
    ),
  );
  if (!q.hybrid) out.push('   hybrid: not measured, the engine fell back to lexical retrieval');
  for (const n of q.notes) out.push(`   note: ${n}`);

  const h = r.hnsw;
  out.push(
    '',
    `5. HNSW at scale: hnswlib-node, ${h.vectors} unit vectors of ${h.dimension} dimensions (${h.clusters} random centres + Gaussian noise σ=${h.noise}, seeded); M=${h.m}, efConstruction=${h.efConstruction}`,
  );
  out.push(`   generate ${ms(h.generateMs)}; build ${ms(h.buildMs)} (${h.insertsPerSecond.toFixed(0)} inserts/s, one thread)`);
  out.push(`   ${h.queries} queries drawn the same way, top ${h.k}, latency per query over ${r.options.hnswRepetitions} pass(es):`);
  const searchRows = h.byEf.map((e) => [`HNSW ef=${e.ef}`, e.recall.toFixed(3), ...lat(e.latency)]);
  searchRows.push(['brute force (Float32Array scan)', '1.000', ...lat(h.bruteForce)]);
  out.push(indent(table(['search', `recall@${h.k}`, 'mean', 'p50', 'p95'], searchRows, 1)));
  const best = h.byEf.at(-1);
  if (best) out.push(`   speed-up of HNSW ef=${best.ef} over brute force at p50: ×${(h.bruteForce.p50Ms / Math.max(best.latency.p50Ms, 1e-6)).toFixed(0)}`);
  const f = h.file;
  out.push(`   index file ${bytes(f.bytes)} (${(f.bytes / h.vectors).toFixed(0)} bytes per vector); write ${ms(f.writeMs)}, read back ${ms(f.readMs)}, ${f.elementsAfterRead} elements`);
  out.push(
    `   ef after read-back: ${f.efAfterRead} (it was ${f.efBeforeWrite} when written: ef is not saved) → recall@${h.k} ${f.recallAtEfAfterRead.toFixed(3)}; ` +
      `after setEf(${f.efBeforeWrite}) again → ${f.recallAfterSetEf.toFixed(3)}`,
  );

  const mem = r.memory;
  out.push('', '6. Process memory after each phase');
  out.push(
    indent(table(['phase', 'rss', 'heapUsed', 'arrayBuffers'], mem.phases.map((s) => [s.phase, bytes(s.rssBytes), bytes(s.heapUsedBytes), bytes(s.arrayBuffersBytes)]), 1)),
  );
  out.push('   (hnswlib\'s graph is native memory: it shows in rss only)');
  out.push(`   peak rss: ${bytes(mem.peakRssSampledBytes)} sampled, ${bytes(mem.maxRssBytes)} as counted by the OS (maxrss)`);
  return out.join('\n');
}

function row(name: string, t: ThroughputResult): string[] {
  return [name, String(t.dimension), ms(t.loadMs), String(t.repetitions), String(t.passages), t.seconds.toFixed(2), t.passagesPerSecond.toFixed(0)];
}

function lat(s: LatencySummary): string[] {
  return [ms(s.meanMs), ms(s.p50Ms), ms(s.p95Ms)];
}

function counts(r: { added: number; changed: number; removed: number; unchanged: number; rebuilt: string | null }): string {
  return `${r.added} new, ${r.changed} changed, ${r.removed} removed, ${r.unchanged} unchanged${r.rebuilt ? ` (rebuilt: ${r.rebuilt})` : ''}`;
}

/** Milliseconds with precision that suits the magnitude: 0.042 ms and 97.4 s both stay readable. */
export function ms(value: number): string {
  if (value >= 1000) return `${(value / 1000).toFixed(value >= 10_000 ? 1 : 2)} s`;
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  if (value >= 1) return `${value.toFixed(2)} ms`;
  return `${value.toFixed(3)} ms`;
}

/** Bytes in binary units. */
export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(0)}%`;
}

/** Left-aligns the first `textColumns` columns and right-aligns the rest (numbers). */
function table(header: string[], rows: string[][], textColumns: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i < textColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `   ${l}`)
    .join('\n');
}
