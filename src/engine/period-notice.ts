/**
 * What the bot says when nothing answers a question about a period and no article is of it, in
 * both adapters' words: the publication dates the articles have, and, since an article with no
 * date cannot be said to be of another time, which ones have none (they were searched too).
 */
export interface OutsideDates {
  first: string;
  last: string;
  undated?: string[];
}

export function periodNotice(lang: 'fr' | 'en', label: string, range: OutsideDates): string {
  const undated = range.undated ?? [];
  const one = undated.length === 1;
  if (lang === 'fr') {
    if (undated.length > 0) {
      const dated = range.first ? ` Les articles datés ont été publiés de ${range.first} à ${range.last}.` : '';
      const which = one ? 'Un article n’a pas de date de publication et a été cherché aussi' : `${undated.length} articles n’ont pas de date de publication et ont été cherchés aussi`;
      return `Rien dans les articles ne répond à cette question pour cette période (${label}).${dated} ${which} : ${undated.map((t) => `« ${t} »`).join(', ')}.`;
    }
    return range.first ? `Aucun article ne date de cette période (${label}) : les articles ont été publiés de ${range.first} à ${range.last}.` : `Aucun article ne date de cette période (${label}) : les articles ne donnent pas de dates.`;
  }
  if (undated.length > 0) {
    const dated = range.first ? ` The dated ones were published from ${range.first} to ${range.last}.` : '';
    const which = one ? 'One article has no publication date and was searched too' : `${undated.length} articles have no publication date and were searched too`;
    return `Nothing in the articles answers this for that time (${label}).${dated} ${which}: ${undated.map((t) => `“${t}”`).join(', ')}.`;
  }
  return range.first ? `No article is from that time (${label}): the articles were published from ${range.first} to ${range.last}.` : `No article is from that time (${label}): the articles state no dates.`;
}
