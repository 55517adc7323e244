/** What an update did to the vectors, counted in passages (both stores report it). */
export interface IndexReport {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /**
   * One-line reason when the index was rebuilt rather than updated (other model, missing or
   * damaged files), or null. When stored vectors could not be reused, every passage counts as
   * added; when only the graph was rebuilt from stored vectors, the counts are the usual diff.
   */
  rebuilt: string | null;
}

/** Points in an update where it reports progress; the crash tests stop a process at each. */
export type UpdateStage = 'embedding' | 'writing' | 'committing' | 'cleanup';

/** `12 new, 3 changed, 1 removed, 84 unchanged`, plus the rebuild reason when there is one. */
export function formatReport(r: IndexReport): string {
  const counts = `${r.added} new, ${r.changed} changed, ${r.removed} removed, ${r.unchanged} unchanged`;
  return r.rebuilt === null ? counts : `${counts} (rebuilt: ${r.rebuilt})`;
}
