/**
 * What the corpus generator swaps in the seed sentences: the people and places the seeds name,
 * and the pools their replacements come from. The pools grow with the corpus, as a year of news
 * names more people than a week does.
 */
import { mulberry32 } from '../../../src/lib/mulberry32.js';

/** People named in seeds/ (as spelled there). Longest first, so a full name wins over its parts. */
export const SEED_PEOPLE = [
  'Maria José Pinto Gonzalez Artigas',
  'Patrushev Nikolai Platonovich',
  'Matamela Cyril Ramaphosa',
  'Nikolai Patrushev',
  'Vladimir Poutine',
  'Sergueï Choïgou',
  'Luong Tam Quang',
  'Tran Quoc Khanh',
  'Trân Dai Quang',
  'Phan Van Giang',
  'Le Hoai Trung',
  'Ngô Phuong Ly',
  'Ngo Phuong Ly',
  'Luu Vinh Toan',
  'Teo Chee Hean',
  'Roumen Radev',
  'Rumen Radev',
  'Luong Cuong',
  'Ghada Waly',
  'V. Poutine',
  'To Lam',
  'Tô Lâm',
];

/** Places named in seeds/. */
export const SEED_PLACES = [
  'Saint-Pétersbourg',
  'Biélorussie',
  'Singapour',
  'Finlande',
  'Bulgarie',
  'Équateur',
  'Algérie',
  'Vietnam',
  'Russie',
  'Hanoï',
  'Hanoi',
  'Moscou',
  'Sofia',
  'Cuba',
  'Inde',
];

const PLACE_POOL = [
  'Laos', 'Cambodge', 'Thaïlande', 'Malaisie', 'Indonésie', 'Philippines', 'Myanmar', 'Brunei', 'Chine', 'Japon', 'Corée',
  'Mongolie', 'Kazakhstan', 'Ouzbékistan', 'Turquie', 'Iran', 'Égypte', 'Maroc', 'Tunisie', 'Sénégal', 'Nigeria', 'Kenya',
  'Éthiopie', 'Angola', 'Mozambique', 'Brésil', 'Argentine', 'Chili', 'Pérou', 'Colombie', 'Mexique', 'Canada', 'France',
  'Allemagne', 'Italie', 'Espagne', 'Portugal', 'Belgique', 'Suisse', 'Autriche', 'Hongrie', 'Pologne', 'Roumanie', 'Serbie',
  'Grèce', 'Norvège', 'Suède', 'Danemark', 'Irlande', 'Australie', 'Vientiane', 'Phnom Penh', 'Bangkok', 'Jakarta', 'Manille',
  'Pékin', 'Tokyo', 'Séoul', 'Delhi', 'Le Caire', 'Alger', 'Dakar', 'Nairobi', 'Brasilia', 'Lima', 'Paris', 'Berlin', 'Rome',
  'Madrid', 'Lisbonne', 'Vienne', 'Budapest', 'Varsovie', 'Athènes', 'Oslo', 'Stockholm', 'Helsinki', 'Canberra', 'Da Nang',
  'Hué', 'Can Tho', 'Hai Phong', 'Nha Trang', 'Vladivostok', 'Novossibirsk', 'Kazan', 'Minsk', 'Erevan', 'Bakou', 'Tachkent',
];

const ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'ch', 'ph', 'th', 'tr', 'ng', 'kh', 'br', 'gr', 'st'];
const NUCLEI = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou', 'ie', 'oa', 'uy', 'ê', 'ô', 'é', 'â'];
const CODAS = ['', '', '', 'n', 'ng', 'm', 'r', 's', 'v', 'nh', 'c', 'l'];

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** A pronounceable made-up name part, 1 to 3 syllables. */
function namePart(next: () => number, syllables: number): string {
  let out = '';
  for (let i = 0; i < syllables; i++) {
    out += ONSETS[Math.floor(next() * ONSETS.length)]! + NUCLEI[Math.floor(next() * NUCLEI.length)]!;
    if (i === syllables - 1) out += CODAS[Math.floor(next() * CODAS.length)]!;
  }
  return capitalise(out);
}

/**
 * `count` distinct made-up full names ("Kha Trouven", "Dimo Phal Starinh"), the same for the
 * same seed. Two or three parts, like the seeds' Vietnamese, Russian and Western names.
 */
export function makePeople(seed: number, count: number): string[] {
  const next = mulberry32(seed ^ 0x5eed_0001);
  const out = new Set<string>();
  while (out.size < count) {
    const parts = next() < 0.4 ? 3 : 2;
    const name = Array.from({ length: parts }, (_, i) => namePart(next, i === parts - 1 ? 1 + Math.floor(next() * 3) : 1 + Math.floor(next() * 2))).join(' ');
    out.add(name);
  }
  return [...out];
}

/** Real places first, then made-up ones ("Trelanovo"), `count` in all. */
export function makePlaces(seed: number, count: number): string[] {
  const next = mulberry32(seed ^ 0x5eed_0002);
  const out = new Set<string>(PLACE_POOL.slice(0, count));
  const endings = ['ovo', 'ia', 'grad', 'ville', 'stan', 'burg', 'an', 'ie'];
  while (out.size < count) out.add(namePart(next, 2) + endings[Math.floor(next() * endings.length)]!);
  return [...out];
}

/**
 * A Zipf-like pick among `n` items from a uniform draw in [0, 1): rank r has weight 1 / (r + 1). A few names come
 * back in article after article (the head of state), most are rare, as in real news.
 */
export function zipfPicker(n: number): (uniform: number) => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) cumulative[r] = total += 1 / (r + 1);
  return (uniform) => {
    const x = uniform * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
