/**
 * Which passages an update adds, changes, removes or keeps: the count both stores report
 * (IndexReport) and the passages whose texts they must look up or embed. Pure, over ids and keys.
 */

/** What the diff reads of a passage; `Passage` and the vector table's entries fit as they are. */
export interface DiffablePassage {
  /** Stable, content-derived id: the same id always has the same text. */
  id: string;
  /** Position key (`articleId:ordinal`): tells a changed passage from a new one. */
  key: string;
}

interface PassageDiff {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /** For each passage of `next`, the index in `previous` of the stored passage with its id, or -1. */
  kept: Int32Array;
  /** Indices in `next` of the passages not stored (added or changed), in order: those whose texts need vectors. */
  fresh: number[];
}

/**
 * Diffs `next` against `previous`. A passage whose id is stored is unchanged (ids are content
 * hashes); one whose position key belonged to a stored passage that is gone is changed; any
 * other is added; stored passages left unmatched are removed. Each stored passage is matched at
 * most once. Ids are unique within each list in both stores (passage ids hash the article id,
 * which names the file; the file store drops duplicates, PostgreSQL's key refuses them).
 */
export function diffPassages(next: readonly DiffablePassage[], previous: readonly DiffablePassage[]): PassageDiff {
  const consumed = new Uint8Array(previous.length);
  const kept = new Int32Array(next.length);
  const fresh: number[] = [];
  let unchanged = 0;
  // The corpus usually comes in the order it was stored: walk both lists together while they
  // agree, and look ids up only past the first difference.
  let same = 0;
  while (same < next.length && same < previous.length && next[same]!.id === previous[same]!.id) same++;
  consumed.fill(1, 0, same);
  let byId: Map<string, number> | null = null;
  for (let i = 0; i < next.length; i++) {
    let at = i < same ? i : -1;
    if (at < 0) {
      byId ??= new Map(previous.slice(same).map((e, j) => [e.id, same + j]));
      at = byId.get(next[i]!.id) ?? -1;
      if (at >= 0 && consumed[at]) at = -1;
    }
    kept[i] = at;
    if (at >= 0) {
      consumed[at] = 1;
      unchanged++;
    } else {
      fresh.push(i);
    }
  }
  // Two passes, so a passage that merely moved (same id, new key) is matched as unchanged
  // before another passage can claim its old key as "changed".
  let changed = 0;
  const byKey = fresh.length > 0 ? new Map(previous.map((e, j) => [e.key, j])) : null;
  for (const i of fresh) {
    const at = byKey!.get(next[i]!.key);
    if (at !== undefined && !consumed[at]) {
      consumed[at] = 1;
      changed++;
    }
  }
  let removed = 0;
  for (const c of consumed) if (!c) removed++;
  return { added: fresh.length - changed, changed, removed, unchanged, kept, fresh };
}
