/**
 * A fingerprint of how text is turned into passages and index terms. The text store keeps parsed
 * articles and analysed terms on disk; if the code that produces them changes (a noise rule, the
 * sentence splitter, the stop words, the stemmer), what is on disk is stale and is rebuilt. The
 * fingerprint runs that code on a fixed sample that exercises each step and hashes the result,
 * so a change that alters any of it is noticed without anyone remembering to bump a version.
 */
import { createHash } from 'node:crypto';
import { parseArticleFile } from '../ingest.js';
import { Analyzer, countWords } from '../lexical/analysis.js';
import { buildPassages } from '../passages.js';
import { words } from '../french.js';

/** Bumped by hand when the store's layout or meaning changes in a way the sample cannot show. */
export const TEXT_STORE_VERSION = 1;

const SAMPLES: Record<string, string> = {
  'probe-date.txt': [
    " date 2024-04 Le ministre de la Sécurité publique, To Lam, participe à la 12e Rencontre internationale qui a lieu du 23 au 25 avril à Saint-Pétersbourg.",
    '',
    "Dans son discours, M. V. Poutine a affirmé qu'en même temps l'espace de l'information reste menacé. Il a également réaffirmé la volonté de la Russie. Les deux parties ont signé l'accord dansla sécurité dupartenariat.",
    '',
    'Le président sud-africain est arrivé le 23 octobre 2025 (heure locale) pour le sommet APEC2017 : « Nous coopérons », a-t-il dit.–VNA',
    'Le président sud-africain est arrivé le 23 octobre 2025 (heure locale) pour le sommet APEC2017 : « Nous coopérons », a-t-il dit.–VNA',
  ].join('\n'),
  'probe-dateline.txt': [
    'Vietnam-Russie : renforcement des relations de coopération',
    '',
    'Hanoi, 25 juillet(VNA) – Le général de corps d’arméeTô Lâm a souligné la nécessité de dynamiser les relations. Les psychotropes et les stupéfiants sont visés.',
    '',
    'Une délégation en visite ảnh 1Le ministre accueille le général. Photo : VNA',
    'Source : https://example.org/a.vnp',
    'Comment (0)',
    'Voir plus',
    'Participation active du Vietnam au processus',
    'Le 22 octobre, le Vietnam et l’Algérie ont coopéré. Art. 3 de la Convention.',
  ].join('\n'),
  'probe-front.md': ['---', 'title: Un titre donné', 'date: 2023-11-16', 'source: https://example.org/b', '---', 'Un titre donné', '', 'Jeudi 16 novembre, Dr. Teo et Mme Waly ont parlé de cybercriminalité. Ils étaient d’accord.'].join('\n'),
};

let cached: string | null = null;

export function textFingerprint(): string {
  if (cached) return cached;
  const articles = Object.entries(SAMPLES).flatMap(([file, text]) => parseArticleFile(file, text));
  const passages = buildPassages(articles);
  const analyzer = new Analyzer(countWords(passages.flatMap((p) => [p.text, p.title])));
  const sample = { articles, passages, terms: passages.map((p) => analyzer.analyze(`${p.title} ${p.text}`)), words: words("L'ONUDC d’accord qu'elle Sécurité APEC2017 😀 Ω٣") };
  cached = createHash('sha256').update(JSON.stringify([TEXT_STORE_VERSION, sample])).digest('hex').slice(0, 32);
  return cached;
}
