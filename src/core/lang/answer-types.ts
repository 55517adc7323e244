/**
 * What kind of answer a question asks for, as French and English questions say it, and how a
 * sentence shows one. Accent-free and lower-case, as `words()` reads text. Data only: the
 * question analysis (text/answer-type.ts) owns how they are matched.
 */

/** Kinds of answer a question can state it wants. */
export type AnswerKind = 'money' | 'duration' | 'number' | 'date' | 'person' | 'place';

/**
 * Phrases that ask for each kind, by precedence: the first kind with a phrase in the question
 * wins ("combien a coûté" is money before it is a number). `leading` phrases count only among
 * the question's first words, where they ask ("qui a signé ?"), not later, where they relate
 * ("le pays qui a signé").
 */
export const ANSWER_KIND_PHRASES: readonly { kind: AnswerKind; anywhere: readonly string[]; leading: readonly string[] }[] = Object.freeze([
  {
    kind: 'money',
    anywhere: [
      'combien coute', 'combien a coute', 'combien ont coute', 'combien coutent', 'combien a paye', 'combien gagne', 'quel prix', 'quel cout', 'quel budget', 'quel montant', 'quel salaire',
      'le prix', 'le cout', 'le budget', 'le montant', 'le salaire', 'cout de', 'prix de', 'budget de', 'montant de', 'salaire de', 'salaire du',
      'how much did', 'how much does', 'how much do', 'how much was', 'how much is', 'how much money', 'what did it cost', 'the cost', 'the price', 'the budget', 'the salary', 'salary of', 'cost of', 'price of', 'budget of',
    ],
    leading: [],
  },
  {
    kind: 'duration',
    anywhere: ['combien de temps', 'pendant combien', 'quelle duree', 'la duree', 'how long'],
    leading: [],
  },
  {
    kind: 'number',
    anywhere: [
      'combien', 'cb de', 'quel nombre', 'le nombre', 'nombre de', 'quel age', 'quelle population', 'quel pourcentage', 'quelle part', 'quelle proportion',
      'how many', 'how much', 'what number', 'the number of', 'how old', 'what percentage', 'what share', 'what proportion', 'population of',
    ],
    leading: [],
  },
  {
    kind: 'date',
    anywhere: ['quand', 'depuis quand', 'quelle date', 'quel jour', 'quelle annee', 'en quelle annee', 'a quelle heure', 'when', 'what date', 'what day', 'which day', 'what year', 'which year', 'what time', 'since when'],
    leading: [],
  },
  {
    kind: 'person',
    anywhere: ['qui est', 'qui etait', 'qui sont', 'who is', 'who was', 'who are', 'who were', 'the name of', 's name', 'le nom de', 'comment s appelle', 'comment s appellent'],
    leading: ['qui', 'who', 'whom', 'whose', 'par qui', 'avec qui', 'a qui', 'with whom'],
  },
  {
    kind: 'place',
    anywhere: ['dans quelle ville', 'dans quel pays', 'quelle ville', 'quel pays', 'quels pays', 'de quel pays', 'in which city', 'in what city', 'in which country', 'which city', 'what city', 'which country', 'what country', 'which countries', 'what countries'],
    leading: ['ou', 'where', "d'ou", 'from where'],
  },
]);

/**
 * How many of a question's first words a leading phrase may start at ("Et qui…", "Alors, où…");
 * it also counts as the question's last words, as casual questions put it ("il est né où ?").
 */
export const LEADING_WORDS = 2;

/**
 * English words for what a question counts ("how many countries"), in the French the articles
 * use, so the count can be looked for next to it ("72 pays"). Accent-free, as `words()` gives them.
 */
export const ENGLISH_COUNTED_NOUNS: Readonly<Record<string, string>> = Object.freeze({
  countries: 'pays', country: 'pays', nations: 'pays', states: 'etats', people: 'personnes', persons: 'personnes', victims: 'victimes',
  delegates: 'delegues', delegations: 'delegations', participants: 'participants', members: 'membres', officials: 'responsables',
  days: 'jours', weeks: 'semaines', months: 'mois', years: 'ans', hours: 'heures', times: 'fois',
  agreements: 'accords', documents: 'documents', cases: 'cas', attacks: 'attaques', cyberattacks: 'cyberattaques',
});

/** Number words that state a quantity ("trois pays", "des dizaines"); "un/une" are articles first. */
export const NUMBER_WORDS: readonly string[] = Object.freeze([
  'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix', 'onze', 'douze', 'treize', 'quatorze', 'quinze', 'seize', 'vingt', 'trente', 'quarante', 'cinquante', 'soixante', 'cent', 'cents', 'mille',
  'dizaine', 'dizaines', 'douzaine', 'douzaines', 'vingtaine', 'trentaine', 'quarantaine', 'cinquantaine', 'centaine', 'centaines', 'millier', 'milliers', 'million', 'millions', 'milliard', 'milliards',
  'moitie', 'tiers', 'quart', 'pourcent',
  'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'twenty', 'thirty', 'forty', 'fifty', 'hundred', 'hundreds', 'thousand', 'thousands', 'billion', 'billions', 'dozen', 'dozens', 'half',
]);

/** Currencies, as words and signs, that make a number an amount of money. */
export const CURRENCY_WORDS: readonly string[] = Object.freeze([
  'dollar', 'dollars', 'usd', 'euro', 'euros', 'eur', 'dong', 'dongs', 'vnd', 'yuan', 'yuans', 'rouble', 'roubles', 'rand', 'rands', 'franc', 'francs', 'livre', 'livres', 'yen', 'yens', 'won', 'roupie', 'roupies', 'dinar', 'dinars', 'baht', 'ringgit', 'sgd', 'pound', 'pounds',
]);
export const CURRENCY_SIGNS: readonly string[] = Object.freeze(['$', '€', '£', '¥', '₫']);

/** Units that make a number a length of time. */
export const DURATION_UNITS: readonly string[] = Object.freeze([
  'seconde', 'secondes', 'minute', 'minutes', 'heure', 'heures', 'jour', 'jours', 'journee', 'journees', 'semaine', 'semaines', 'mois', 'an', 'ans', 'annee', 'annees', 'decennie', 'decennies', 'siecle', 'siecles',
  'second', 'seconds', 'hour', 'hours', 'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years', 'decade', 'decades',
]);

/** Words that place a sentence in time without a calendar date ("hier", "ce matin"). */
export const RELATIVE_TIME_WORDS: readonly string[] = Object.freeze([
  'hier', 'aujourd', 'demain', 'matin', 'apres-midi', 'soir', 'prochain', 'prochaine', 'dernier', 'derniere', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche', 'recemment', 'auparavant',
  'yesterday', 'today', 'tomorrow', 'next', 'last', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
]);

/** Titles and roles that name a person in news prose ("le ministre", "l'ambassadeur"). */
export const PERSON_ROLES: readonly string[] = Object.freeze([
  'president', 'presidente', 'ministre', 'secretaire', 'directeur', 'directrice', 'ambassadeur', 'ambassadrice', 'general', 'vice-president', 'premier', 'chef', 'dirigeant', 'dirigeants', 'homologue', 'representant', 'delegation', 'vice-ministre', 'experts', 'expert', 'specialiste', 'professeur', 'chercheur',
]);
