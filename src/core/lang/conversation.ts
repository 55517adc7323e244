/** How people talk to the bot rather than ask the articles. Data only. */

/** What people type to ask the bot what it can do, by language (accent-free, lower case, as `words()` reads them). */
export const HELP_REQUESTS: Readonly<Record<'fr' | 'en', readonly string[]>> = Object.freeze({
  fr: ['aide', 'aidez moi', 'aide moi', 'au secours', 'comment ca marche', 'comment tu marches', 'comment ca fonctionne', 'que sais tu faire', 'tu sais faire quoi', 'commandes', 'mode emploi'],
  en: ['help', 'help me', 'what can you do', 'how does this work', 'how do you work', 'how to use', 'commands'],
});
