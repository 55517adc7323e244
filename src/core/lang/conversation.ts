/** How people talk to the bot rather than ask the articles. Data only. */

/** What people type to ask the bot what it can do, by language (accent-free, lower case, as `words()` reads them). */
export const HELP_REQUESTS: Readonly<Record<'fr' | 'en', readonly string[]>> = Object.freeze({
  fr: ['aide', 'aidez moi', 'aide moi', 'au secours', 'comment ca marche', 'comment tu marches', 'comment ca fonctionne', 'que sais tu faire', 'tu sais faire quoi', 'commandes', 'mode emploi'],
  en: ['help', 'help me', 'what can you do', 'how does this work', 'how do you work', 'how to use', 'commands'],
});

/**
 * What people type to ask for the news rather than a fact ("quoi de neuf ?", "latest news",
 * "les nouvelles sur Singapour"). A phrase of `NEWS_OPENINGS` that is the whole question, or is
 * followed by one of `NEWS_TOPIC_WORDS` and a topic, asks for the newest articles (on it).
 */
export const NEWS_OPENINGS: readonly string[] = Object.freeze([
  'quoi de neuf', 'quoi de nouveau', 'quelles nouvelles', 'quelles sont les nouvelles', 'les nouvelles', 'nouvelles', 'des nouvelles', 'les infos', 'infos', 'l actu', 'actu', 'actualite', 'actualites', 'les actualites', 'quoi de beau',
  'what s new', 'whats new', 'what is new', 'news', 'the news', 'any news', 'headlines', 'the headlines', 'what s the news',
]);
/** Words that introduce the topic after an opening ("… sur Singapour", "… about the convention"). */
export const NEWS_TOPIC_WORDS: readonly string[] = Object.freeze(['sur', 'de', 'du', 'des', 'concernant', 'a propos de', 'about', 'on', 'from', 'regarding', 'with', 'avec', 'pour', 'for', 'in', 'en', 'a', 'au']);
/** Openings that ask for the news only when nothing follows them but a period ("what happened in October 2025?"): "what happened at the ceremony?" asks a fact. */
export const NEWS_ALONE: readonly string[] = Object.freeze(['what happened', 'what has happened', 'que s est il passe', 'qu est ce qui s est passe', 'quoi de neuf cette semaine']);

/** What people type to ask for a summary of an article ("résume l'article sur Singapour", "summarise the UNODC part"). */
export const SUMMARY_OPENINGS: readonly string[] = Object.freeze([
  'resume moi', 'resume', 'resumer', 'fais un resume de', 'fais moi un resume de', 'un resume de', 'resume de', 'summarise', 'summarize', 'sum up', 'summary of', 'give me a summary of', 'a summary of',
]);
/** Words between the opening and what the article is about ("l'article sur", "the part about"). */
export const SUMMARY_TOPIC_WORDS: readonly string[] = Object.freeze([
  'article sur', 'article de', 'article du', 'article a propos de', 'la partie sur', 'partie sur', 'sur', 'the article about', 'the article on', 'article about', 'article on', 'the part about', 'the part on', 'the', 'about', 'on',
]);

/**
 * How a follow-up opens ("Et quand ?", "and what about Russia?", "et pour Singapour ?"), accent-free
 * words as `words()` reads them: after one, a question without names of its own continues the
 * previous one, and one with only a name asks the previous question of that name.
 */
export const FOLLOW_UP_OPENINGS: readonly string[] = Object.freeze([
  'et', 'et pour', 'et pour ce qui est de', 'et concernant', 'et a propos de', 'et du cote de', 'et cote', 'et qu en est il de', 'et quid de', 'quid de', 'et sinon', 'et alors', 'mais', 'et aussi', 'ok et', 'd accord et', 'et puis',
  'and', 'and what about', 'what about', 'how about', 'and how about', 'and for', 'and also', 'also', 'but', 'ok and', 'and then', 'then',
]);
/** Words that ask for something other than what was quoted ("Who else?", "qui d'autre ?", "quoi d'autre ?"). */
export const FOLLOW_UP_OTHER_WORDS: readonly string[] = Object.freeze(['else', 'other', 'others', 'another', 'autre', 'autres', 'encore']);
/** Words that point back at what was just said ("il", "cette rencontre", "there"): a question holding one and no name continues the conversation. */
export const FOLLOW_UP_REFERRING_WORDS: readonly string[] = Object.freeze([
  'il', 'elle', 'ils', 'elles', 'lui', 'eux', 'leur', 'leurs', 'son', 'sa', 'ses', 'cette', 'cet', 'ces', 'celui', 'celle', 'ceux', 'cela', 'y', 'la bas', 'labas',
  'he', 'she', 'they', 'him', 'her', 'them', 'his', 'their', 'its', 'it', 'there', 'this', 'that', 'these', 'those',
]);
/** Words inside a name ("Convention de Hanoi", "Phan Van Giang" keeps its own capitals). */
export const NAME_PARTICLES: readonly string[] = Object.freeze(['de', 'du', 'des', 'd', 'la', 'le', 'l', 'of', 'the']);
/** Prepositions before a place or a party ("en Russie", "à Singapour", "avec la Chine", "in Russia"). */
export const PLACE_PREPOSITIONS: readonly string[] = Object.freeze(['en', 'au', 'aux', 'a', 'de', 'du', 'avec', 'pour', 'chez', 'vers', 'in', 'at', 'to', 'from', 'with', 'for', 'on', 'about', 'sur']);
