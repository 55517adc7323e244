/** Process memory after each benchmark phase, and the peak. */

/** Memory as it was when a phase ended. */
export interface MemorySnapshot {
  phase: string;
  rssBytes: number;
  heapUsedBytes: number;
  /** ArrayBuffers (typed arrays live here, outside the heap): explains rss that heapUsed does not. */
  arrayBuffersBytes: number;
}

/** What {@link MemoryTracker.result} reports. */
export interface MemoryReport {
  phases: MemorySnapshot[];
  /** Highest rss among the samples this process took (phase ends and inside long loops). */
  peakRssSampledBytes: number;
  /**
   * Peak rss as the operating system counted it (getrusage maxrss). Covers moments between
   * samples, such as native allocations inside hnswlib or onnxruntime.
   */
  maxRssBytes: number;
}

/**
 * Records memory per phase. `sample()` is cheap enough to call every few thousand iterations of
 * a synchronous loop, where a timer could not fire.
 */
export class MemoryTracker {
  private readonly phases: MemorySnapshot[] = [];
  private peak = 0;

  /** Notes the current rss toward the peak. */
  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }

  /** Records the memory at the end of `phase`. */
  mark(phase: string): MemorySnapshot {
    const { rss, heapUsed, arrayBuffers } = process.memoryUsage();
    this.peak = Math.max(this.peak, rss);
    const snapshot = { phase, rssBytes: rss, heapUsedBytes: heapUsed, arrayBuffersBytes: arrayBuffers };
    this.phases.push(snapshot);
    return snapshot;
  }

  /** Everything recorded so far. */
  result(): MemoryReport {
    this.sample();
    // maxRSS is in kilobytes.
    return { phases: [...this.phases], peakRssSampledBytes: this.peak, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  }
}
