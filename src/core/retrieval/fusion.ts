/**
 * Reciprocal rank fusion (Cormack et al., 2009): each ranking adds 1 / (k + rank).
 * k = 60 is the paper's value; it keeps one ranking's top hit from drowning the other's.
 */
const RRF_K = 60;

export function fuseRankings(rankings: readonly (readonly string[])[], k = RRF_K): { id: string; score: number }[] {
  const scores = new Map<string, number>();
  for (const ranking of rankings) {
    ranking.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + rank + 1)));
  }
  return [...scores.entries()].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}
