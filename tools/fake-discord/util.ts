// Small helpers shared by the fake Discord: snowflakes, bounded logs/maps, tokens.
import { randomBytes } from 'node:crypto';

/** Discord's epoch (2015-01-01T00:00:00.000Z). */
const DISCORD_EPOCH = 1_420_070_400_000n;

let lastMs = 0n;
let increment = 0n;

/**
 * A snowflake-like id: a real Discord-shaped snowflake (timestamp << 22 | worker | increment),
 * so it is 19 digits today. @discordjs/rest only recognises 17–19 digit ids as "major parameters"
 * when bucketing rate limits, so staying in that range matters.
 */
export function snowflake(at: number = Date.now()): string {
  let ms = BigInt(at) - DISCORD_EPOCH;
  if (ms < lastMs) ms = lastMs;
  if (ms === lastMs) {
    increment += 1n;
    if (increment > 4095n) {
      ms += 1n;
      increment = 0n;
    }
  } else {
    increment = 0n;
  }
  lastMs = ms;
  return ((ms << 22n) | (1n << 17n) | (1n << 12n) | increment).toString();
}

/** Milliseconds since the Unix epoch encoded in a snowflake. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** An interaction-token-like opaque string. */
export function randomToken(bytes = 48): string {
  return randomBytes(bytes).toString('base64url');
}

export interface Sequenced {
  seq: number;
}

interface Waiter<T> {
  predicate: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * An append-only log that keeps at most `max` entries (oldest dropped, amortised O(1)),
 * with `waitFor` helpers. The `items` array is live: it is trimmed in place.
 */
export class BoundedLog<T extends Sequenced> {
  readonly items: T[] = [];
  private nextSeq = 1;
  private readonly waiters = new Set<Waiter<T>>();
  private closedError: Error | undefined;

  constructor(private readonly max: number) {}

  /** Sequence number the next pushed entry will get. Use as `since` to only see later entries. */
  get mark(): number {
    return this.nextSeq;
  }

  /** Append an entry (its `seq` is assigned here, so seqs follow publication order) and wake matching waiters. */
  publish(item: T): T {
    item.seq = this.nextSeq++;
    this.items.push(item);
    // Trim in chunks so that the amortised cost per entry is O(1).
    if (this.items.length > this.max + Math.max(16, this.max >> 2)) {
      this.items.splice(0, this.items.length - this.max);
    }
    for (const waiter of this.waiters) {
      let matched = false;
      try {
        matched = waiter.predicate(item);
      } catch (error) {
        this.waiters.delete(waiter);
        if (waiter.timer) clearTimeout(waiter.timer);
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (matched) {
        this.waiters.delete(waiter);
        if (waiter.timer) clearTimeout(waiter.timer);
        waiter.resolve(item);
      }
    }
    return item;
  }

  /** Entries with `seq >= since` that are still retained. */
  since(since: number): T[] {
    const first = this.items[0];
    if (!first) return [];
    const start = Math.max(0, since - first.seq);
    return this.items.slice(start);
  }

  find(predicate: (item: T) => boolean, since = 0): T | undefined {
    const first = this.items[0];
    if (!first) return undefined;
    for (let i = Math.max(0, since - first.seq); i < this.items.length; i++) {
      const item = this.items[i]!;
      if (predicate(item)) return item;
    }
    return undefined;
  }

  /**
   * Resolve with the first retained entry (seq >= since) matching `predicate`, or the next one
   * to be published; reject after `timeoutMs`.
   */
  waitFor(predicate: (item: T) => boolean, timeoutMs: number, since: number, describe: string): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const existing = this.find(predicate, since);
    if (existing) return Promise.resolve(existing);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        predicate: (item) => item.seq >= since && predicate(item),
        resolve,
        reject,
        timer: undefined,
      };
      waiter.timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${describe}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Reject all pending waiters and refuse new ones. */
  close(error: Error): void {
    this.closedError = error;
    for (const waiter of this.waiters) {
      if (waiter.timer) clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.waiters.clear();
  }
}

/** A Map that forgets its oldest entries beyond `max` (insertion order). */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return super.set(key, value);
  }
}

/** A condition variable: `wait(check)` resolves once `check()` is true, re-checked on `notify()`. */
export class Condition {
  private readonly waiters = new Set<{ check: () => boolean; resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private closedError: Error | undefined;

  notify(): void {
    for (const waiter of this.waiters) {
      if (waiter.check()) {
        this.waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve();
      }
    }
  }

  wait(check: () => boolean, timeoutMs: number, describe: string): Promise<void> {
    if (this.closedError) return Promise.reject(this.closedError);
    if (check()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        check,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${describe}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  close(error: Error): void {
    this.closedError = error;
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.waiters.clear();
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
