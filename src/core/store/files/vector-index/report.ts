import type { IndexReport } from './update.js';

/** `12 new, 3 changed, 1 removed, 84 unchanged`, plus the rebuild reason when there is one. */
export function formatReport(r: IndexReport): string {
  const counts = `${r.added} new, ${r.changed} changed, ${r.removed} removed, ${r.unchanged} unchanged`;
  return r.rebuilt === null ? counts : `${counts} (rebuilt: ${r.rebuilt})`;
}
