import type { Lang } from '../core/text/index.js';

/** What a re-index summary needs (the engine's ReindexResult fits). */
export interface ReindexFacts {
  articles: number;
  passages: number;
  skipped: string[];
  kept: string[];
  vectors: { added: number; changed: number; removed: number; unchanged: number } | null;
}

/** What a feed line needs (the engine's FeedStatus fits). */
export interface FeedFacts {
  articles: number;
  lastSuccess: string | null;
  lastError: string | null;
}

/** Everything the bot says in its own words, in French and English. Quotes are never translated. */
export const TEXT = {
  en: {
    header: 'From the articles:',
    headerPeriod: (label: string) => `From the articles (${label}):`,
    outsidePeriod: (label: string, range: { first: string; last: string }) =>
      range.first ? `No article is from that time (${label}): the articles run from ${range.first} to ${range.last}.` : `No article is from that time (${label}): the articles state no dates.`,
    notAnswered: 'Nothing in the articles answers this question.',
    relatedHeader: 'The articles do not answer this question. Closest passages, which do not answer it:',
    relatedFooter: 'Closest passage — not an answer',
    otherLanguage: (langs: string) => `The articles are in ${langs}: asking in that language, or with the names they use, may find more.`,
    languageNames: { fr: 'French', en: 'English' },
    closest: 'Closest articles:',
    context: (n: number) => `Context ${n}`,
    date: 'Date',
    publishedField: 'Published',
    statedField: 'Date in the quote',
    source: 'Source',
    empty: 'Ask me a question about the articles, for example: “When was the Hanoi Convention signed?”',
    tooLong: (limit: number) => `That question is too long: ${limit} characters at most.`,
    cooldown: (s: number) => `You're asking quickly: try again in ${s} s.`,
    failed: 'Something went wrong while answering. Please try again in a moment.',
    unavailable: 'The articles are temporarily unavailable (the bot is reconnecting to its database). Please ask again in a minute.',
    stopping: 'The bot is restarting: please ask again in a minute.',
    unknownArticle: 'No article matches that title. Pick one from the list.',
    passageGone: 'That passage is no longer in the index (the articles were updated). Ask again.',
    excerpt: 'Excerpt',
    aboutTitle: 'About this bot',
    evaluationTitle: (n: number, date: string) => `Measured on ${n} questions (${date})`,
    categoryNames: { plain: 'Plain questions', paraphrase: 'Paraphrased', english: 'In English', casual: 'Casual', when: '“When?”', trap: 'Near-topic (not in the articles)', 'off-topic': 'Off-topic' } as Record<string, string>,
    categoryAnswered: (name: string, n: number, pct: string) => `${name} (${n}): right quote in the first three ${pct}`,
    categoryDeclined: (name: string, n: number, pct: string) => `${name} (${n}): declined ${pct}`,
    falseDeclines: (pct: string) => `Answerable questions declined: ${pct}`,
    articles: 'Articles',
    passages: 'Passages',
    dateRange: 'Dates',
    model: 'Embedding model',
    mode: 'Retrieval',
    built: 'Index built',
    none: 'none',
    lexicalOnly: 'lexical only (no embedding model loaded)',
    reindexBusy: 'A re-index is already running; this one was not started.',
    reindexDone: (summary: string) => `Re-index done: ${summary}.`,
    reindexSummary: (r: ReindexFacts) =>
      [
        `${r.articles} articles, ${r.passages} passages`,
        r.vectors ? `vectors: ${r.vectors.added} new, ${r.vectors.changed} changed, ${r.vectors.removed} removed, ${r.vectors.unchanged} unchanged` : null,
        r.skipped.some((f) => !r.kept.includes(f)) ? `skipped: ${r.skipped.filter((f) => !r.kept.includes(f)).join(', ')}` : null,
        r.kept.length > 0 ? `previous version kept: ${r.kept.join(', ')}` : null,
      ]
        .filter(Boolean)
        .join('; '),
    unknownCommand: 'I do not know that command (it may be from an older version of the bot).',
    unknownButton: 'That button is not one of mine, or it has expired.',
    needsManageServer: 'Only members with the Manage Server permission can do this.',
    addOff: 'Adding articles to this server is turned off on this bot.',
    settingsNow: (s: { language: 'fr' | 'en' | null; privateAnswers: boolean; addRole: string | null }) => `This server’s settings: language ${s.language === 'fr' ? 'French' : s.language === 'en' ? 'English' : 'each member’s own'}; answers to /ask ${s.privateAnswers ? 'seen by the asker only' : 'seen by everyone in the channel'}; articles and feeds added by Manage Server${s.addRole ? ` and <@&${s.addRole}>` : ' only'}.`,
    ownLibrary: 'This server’s own library',
    ownCounts: (articles: number, passages: number) => `${articles} articles, ${passages} passages (counted above with the shared base; quoted in this server only)`,
    ownNone: 'none yet: add articles with /add or /feed add (Manage Server)',
    newArticle: 'New in this server’s library, from a feed it follows:',
    feedAdded: (url: string, channel: string | null) => `Following <${url}>${channel ? `; new articles will be announced in <#${channel}>` : ''}.`,
    feedRemoved: (url: string) => `No longer following <${url}> (its articles stay in the library).`,
    feedUnknown: 'This server does not follow that feed.',
    feedBadUrl: 'Only http and https feed links are accepted.',
    feedsFull: (limit: number) => `This server follows ${limit} feeds, the most it may: remove one first.`,
    feedNone: 'This server follows no feeds. Add one with /feed add.',
    serverFeedLine: (f: { url: string; title: string | null; articles: number; lastSuccess: string | null; lastError: string | null; channel: string | null }) => `${f.title ? `**${f.title}** ` : ''}<${f.url}> · ${f.articles} articles · ${f.lastSuccess ? `last success ${f.lastSuccess}` : 'not read yet'}${f.lastError ? ` · last error: ${f.lastError}` : ''}${f.channel ? ` · announced in <#${f.channel}>` : ''}`,
    addFull: (limit: number, have: number) => `This server’s library is full: it holds ${have} of at most ${limit} articles. Remove some with /remove first.`,
    removed: (title: string) => `Removed from this server’s library: **${title}**.`,
    notOwnArticle: 'This server’s library holds no such article (articles of the shared base cannot be removed from a server).',
    addNoUrl: 'Give one or more links (http or https), separated by spaces.',
    addTooMany: (n: number) => `At most ${n} links at a time.`,
    addBusy: 'Adding those pages…',
    added: { added: 'Added', updated: 'Updated', unchanged: 'Unchanged' } as Record<'added' | 'updated' | 'unchanged', string>,
    published: 'published',
    noPublicationDate: 'no publication date',
    passagesCount: (n: number) => `${n} passage${n === 1 ? '' : 's'}`,
    notAdded: 'Not added',
    addError: {
      'bad-url': () => 'not a valid link',
      scheme: () => 'only http and https links are accepted',
      private: () => 'that address is private or local, so it is not fetched',
      dns: () => 'no such host',
      timeout: () => 'the site did not answer in time (15 s)',
      'too-large': () => 'the page is too large (over 5 MB)',
      redirects: (d: string) => (d === 'loop' ? 'the page redirects in a loop' : 'too many redirects (more than 5)'),
      status: (d: string) => `the site answered ${d}`,
      'content-type': (d: string) => `not a web page (${d})`,
      network: () => 'the site could not be reached',
      'no-article': () => 'no article text found on that page',
      save: () => 'the article could not be saved',
    } as Record<string, (detail: string) => string>,
    feeds: 'Feeds',
    feedLine: (f: FeedFacts) =>
      `${f.articles} articles · last success ${f.lastSuccess ?? 'never'}${f.lastError ? ` · last error: ${f.lastError}` : ''}`,
    claimHeader: (link: string) => `Closest quotes in the articles for ${link} (check whether they support it):`,
    claimUnsupported: (link: string) => `The articles do not support ${link}: nothing in them states it.`,
    claimRelated: (link: string) => `The articles touch on ${link} but none of them states it. Closest passages, which do not support it:`,
    thisMessage: 'this message',
    claimEmpty: 'That message has no text to look up.',
    claimPosted: 'Sources posted as a reply to the message.',
    citeNoMatch: 'No sentence of that article contains those words. Try other words from the article.',
    publishedOn: (d: string) => `published ${d}`,
    states: (d: string) => `the sentence states ${d}`,
  },
  fr: {
    header: 'D’après les articles :',
    headerPeriod: (label: string) => `D’après les articles (${label}) :`,
    outsidePeriod: (label: string, range: { first: string; last: string }) =>
      range.first ? `Aucun article ne date de cette période (${label}) : les articles vont de ${range.first} à ${range.last}.` : `Aucun article ne date de cette période (${label}) : les articles ne donnent pas de dates.`,
    notAnswered: 'Rien dans les articles ne répond à cette question.',
    relatedHeader: 'Les articles ne répondent pas à cette question. Passages les plus proches, qui n’y répondent pas :',
    relatedFooter: 'Passage le plus proche — pas une réponse',
    otherLanguage: (langs: string) => `Les articles sont en ${langs} : poser la question dans cette langue, ou avec les noms qu’ils emploient, peut en trouver davantage.`,
    languageNames: { fr: 'français', en: 'anglais' },
    closest: 'Articles les plus proches :',
    context: (n: number) => `Contexte ${n}`,
    date: 'Date',
    publishedField: 'Publication',
    statedField: 'Date dans la citation',
    source: 'Source',
    empty: 'Posez-moi une question sur les articles, par exemple : « Quand la Convention de Hanoï a-t-elle été signée ? »',
    tooLong: (limit: number) => `Question trop longue : ${limit} caractères au plus.`,
    cooldown: (s: number) => `Vous posez vos questions très vite : réessayez dans ${s} s.`,
    failed: 'Une erreur est survenue pendant la réponse. Réessayez dans un instant.',
    unavailable: 'Les articles sont momentanément indisponibles (le bot se reconnecte à sa base de données). Reposez la question dans une minute.',
    stopping: 'Le bot redémarre : reposez votre question dans une minute.',
    unknownArticle: 'Aucun article ne porte ce titre. Choisissez-en un dans la liste.',
    passageGone: 'Ce passage n’est plus dans l’index (les articles ont été mis à jour). Reposez la question.',
    excerpt: 'Extrait',
    aboutTitle: 'À propos de ce bot',
    evaluationTitle: (n: number, date: string) => `Mesuré sur ${n} questions (${date})`,
    categoryNames: { plain: 'Questions simples', paraphrase: 'Reformulées', english: 'En anglais', casual: 'Familières', when: '« Quand ? »', trap: 'Proches du sujet (absentes des articles)', 'off-topic': 'Hors sujet' } as Record<string, string>,
    categoryAnswered: (name: string, n: number, pct: string) => `${name} (${n}) : bonne citation parmi les trois premières ${pct}`,
    categoryDeclined: (name: string, n: number, pct: string) => `${name} (${n}) : refus de répondre ${pct}`,
    falseDeclines: (pct: string) => `Questions à réponse refusées : ${pct}`,
    articles: 'Articles',
    passages: 'Passages',
    dateRange: 'Dates',
    model: 'Modèle d’embeddings',
    mode: 'Recherche',
    built: 'Index construit',
    none: 'aucun',
    lexicalOnly: 'lexicale seulement (aucun modèle d’embeddings chargé)',
    reindexBusy: 'Une réindexation est déjà en cours ; celle-ci n’a pas été lancée.',
    reindexDone: (summary: string) => `Réindexation terminée : ${summary}.`,
    reindexSummary: (r: ReindexFacts) =>
      [
        `${r.articles} articles, ${r.passages} passages`,
        r.vectors ? `vecteurs : ${r.vectors.added} nouveaux, ${r.vectors.changed} modifiés, ${r.vectors.removed} supprimés, ${r.vectors.unchanged} inchangés` : null,
        r.skipped.some((f) => !r.kept.includes(f)) ? `ignorés : ${r.skipped.filter((f) => !r.kept.includes(f)).join(', ')}` : null,
        r.kept.length > 0 ? `version précédente conservée : ${r.kept.join(', ')}` : null,
      ]
        .filter(Boolean)
        .join(' ; '),
    unknownCommand: 'Je ne connais pas cette commande (elle vient peut-être d’une ancienne version du bot).',
    unknownButton: 'Ce bouton ne vient pas de moi, ou il a expiré.',
    needsManageServer: 'Seuls les membres qui ont la permission Gérer le serveur peuvent faire cela.',
    addOff: 'L’ajout d’articles à ce serveur est désactivé sur ce bot.',
    settingsNow: (s: { language: 'fr' | 'en' | null; privateAnswers: boolean; addRole: string | null }) => `Réglages de ce serveur : langue ${s.language === 'fr' ? 'français' : s.language === 'en' ? 'anglais' : 'celle de chaque membre'} ; réponses à /ask ${s.privateAnswers ? 'vues par le seul membre qui pose la question' : 'vues par tout le salon'} ; articles et flux ajoutés par Gérer le serveur${s.addRole ? ` et <@&${s.addRole}>` : ' seulement'}.`,
    ownLibrary: 'La bibliothèque propre à ce serveur',
    ownCounts: (articles: number, passages: number) => `${articles} articles, ${passages} passages (comptés ci-dessus avec la base commune ; cités dans ce serveur seulement)`,
    ownNone: 'aucune pour l’instant : ajoutez des articles avec /add ou /feed add (Gérer le serveur)',
    newArticle: 'Nouveau dans la bibliothèque de ce serveur, d’un flux qu’il suit :',
    feedAdded: (url: string, channel: string | null) => `Flux suivi : <${url}>${channel ? ` ; les nouveaux articles seront annoncés dans <#${channel}>` : ''}.`,
    feedRemoved: (url: string) => `Flux plus suivi : <${url}> (ses articles restent dans la bibliothèque).`,
    feedUnknown: 'Ce serveur ne suit pas ce flux.',
    feedBadUrl: 'Seuls les liens de flux http et https sont acceptés.',
    feedsFull: (limit: number) => `Ce serveur suit déjà ${limit} flux, le maximum : retirez-en un d’abord.`,
    feedNone: 'Ce serveur ne suit aucun flux. Ajoutez-en un avec /feed add.',
    serverFeedLine: (f: { url: string; title: string | null; articles: number; lastSuccess: string | null; lastError: string | null; channel: string | null }) => `${f.title ? `**${f.title}** ` : ''}<${f.url}> · ${f.articles} articles · ${f.lastSuccess ? `dernier succès ${f.lastSuccess}` : 'pas encore lu'}${f.lastError ? ` · dernière erreur : ${f.lastError}` : ''}${f.channel ? ` · annoncés dans <#${f.channel}>` : ''}`,
    addFull: (limit: number, have: number) => `La bibliothèque de ce serveur est pleine : elle contient ${have} articles sur ${limit} au plus. Retirez-en d’abord avec /remove.`,
    removed: (title: string) => `Retiré de la bibliothèque de ce serveur : **${title}**.`,
    notOwnArticle: 'La bibliothèque de ce serveur ne contient pas cet article (les articles de la base commune ne se retirent pas depuis un serveur).',
    addNoUrl: 'Donnez un ou plusieurs liens (http ou https), séparés par des espaces.',
    addTooMany: (n: number) => `${n} liens au plus à la fois.`,
    addBusy: 'Ajout des pages…',
    added: { added: 'Ajouté', updated: 'Mis à jour', unchanged: 'Inchangé' } as Record<'added' | 'updated' | 'unchanged', string>,
    published: 'publié le',
    noPublicationDate: 'sans date de publication',
    passagesCount: (n: number) => `${n} passage${n === 1 ? '' : 's'}`,
    notAdded: 'Non ajouté',
    addError: {
      'bad-url': () => 'ce n’est pas un lien valide',
      scheme: () => 'seuls les liens http et https sont acceptés',
      private: () => 'cette adresse est privée ou locale : elle n’est pas consultée',
      dns: () => 'ce site n’existe pas',
      timeout: () => 'le site n’a pas répondu à temps (15 s)',
      'too-large': () => 'la page est trop grande (plus de 5 Mo)',
      redirects: (d: string) => (d === 'loop' ? 'la page redirige en boucle' : 'trop de redirections (plus de 5)'),
      status: (d: string) => `le site a répondu ${d}`,
      'content-type': (d: string) => `ce n’est pas une page web (${d})`,
      network: () => 'le site est injoignable',
      'no-article': () => 'aucun texte d’article sur cette page',
      save: () => 'l’article n’a pas pu être enregistré',
    } as Record<string, (detail: string) => string>,
    feeds: 'Flux',
    feedLine: (f: FeedFacts) =>
      `${f.articles} articles · dernier succès ${f.lastSuccess ?? 'jamais'}${f.lastError ? ` · dernière erreur : ${f.lastError}` : ''}`,
    claimHeader: (link: string) => `Citations les plus proches dans les articles pour ${link} (vérifiez qu’elles l’appuient) :`,
    claimUnsupported: (link: string) => `Les articles n’appuient pas ${link} : rien dans leur texte ne le dit.`,
    claimRelated: (link: string) => `Les articles évoquent le sujet de ${link} mais aucun ne le dit. Passages les plus proches, qui ne l’appuient pas :`,
    thisMessage: 'ce message',
    claimEmpty: 'Ce message n’a pas de texte à vérifier.',
    claimPosted: 'Sources publiées en réponse au message.',
    citeNoMatch: 'Aucune phrase de cet article ne contient ces mots. Essayez d’autres mots de l’article.',
    publishedOn: (d: string) => `publié le ${d}`,
    states: (d: string) => `la phrase indique ${d}`,
  },
} as const;

export type Strings = (typeof TEXT)[Lang];

/** Discord locales are like `fr`, `en-US`, `en-GB`: French for French, English otherwise. */
export function langOfLocale(locale: string | null | undefined): Lang {
  return locale?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** A message has no locale: its language is guessed from the question (see core/language). */
export { guessLang } from '../core/text/index.js';
