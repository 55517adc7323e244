import { ButtonStyle, ComponentType, escapeMarkdown, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import type { LoadedCorpus } from '../core/corpus.js';
import { dateLabel, type Lang } from '../core/date-label.js';
import type { Answer, Article, Passage } from '../core/types.js';
import { TEXT } from './i18n.js';
import { LIMITS, splitText, truncate } from './limits.js';

/** One message to send: plain data, so it can be checked against Discord's limits in tests. */
export interface Reply {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
  /** Always empty: a quote or a question containing @everyone or a mention pings nobody. */
  allowedMentions: { parse: [] };
}

const NO_PINGS = { parse: [] } as { parse: [] };
const QUOTE_COLOR = 0x2b6cb0;
const NO_ANSWER_COLOR = 0x718096;
/** Prefix of the custom id of the "context" buttons. */
export const CONTEXT_BUTTON = 'ctx:';

/** Markdown in source text is shown as written, never interpreted. */
const escape = (text: string): string => escapeMarkdown(text, { codeBlock: true, inlineCode: true, bulletedList: true, numberedList: true, heading: true, maskedLink: true });
/** Every line of `text` as a block quote. */
const blockQuote = (text: string): string =>
  text
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');

/**
 * An answer as Discord messages: one embed per quote (the quote verbatim in a block quote,
 * the article's title, date and link), a "context" button per quote, split over several
 * messages when the limits require it.
 */
export function renderAnswer(answer: Answer, lang: Lang): Reply[] {
  const t = TEXT[lang];
  if (!answer.answered) {
    const pointers = answer.pointers.map((p) => `• ${escape(truncate(p, 150))}`).join('\n');
    const languages = answer.articleLanguages?.map((l) => t.languageNames[l]).join(', ');
    const notAnswered = languages ? `${t.notAnswered} ${t.otherLanguage(languages)}` : t.notAnswered;
    const content = pointers ? `${notAnswered}\n${t.closest}\n${pointers}` : notAnswered;
    return [{ content: truncate(content, LIMITS.content), allowedMentions: NO_PINGS }];
  }
  const embeds = answer.results.flatMap((r, i) => {
    // The block-quote marks take room too, so the quote is split with a margin.
    const parts = splitText(escape(r.quote), LIMITS.embedDescription - 200);
    return parts.map<APIEmbed>((part, j) => ({
      color: QUOTE_COLOR,
      ...(j === 0 ? { title: truncate(`${i + 1}. ${r.title}`, LIMITS.embedTitle) } : {}),
      ...(j === 0 && r.link ? { url: r.link } : {}),
      description: blockQuote(part),
      ...(j === parts.length - 1
        ? {
            fields: [
              { name: t.date, value: truncate(escape(dateLabel(r, lang)), LIMITS.fieldValue), inline: true },
              ...(r.link ? [{ name: t.source, value: truncate(r.link, LIMITS.fieldValue), inline: true }] : []),
            ],
          }
        : {}),
    }));
  });
  const buttons: APIButtonComponent[] = answer.results.slice(0, LIMITS.buttonsPerRow).map((r, i) => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: t.context(i + 1),
    custom_id: `${CONTEXT_BUTTON}${r.passageId}`,
  }));
  const messages = packEmbeds(embeds);
  return messages.map((group, i) => ({
    ...(i === 0 ? { content: t.header } : {}),
    embeds: group,
    ...(i === messages.length - 1 && buttons.length > 0 ? { components: [{ type: ComponentType.ActionRow, components: buttons }] } : {}),
    allowedMentions: NO_PINGS,
  }));
}

/** Groups embeds into messages of at most 10 embeds and 6,000 characters. */
export function packEmbeds(embeds: APIEmbed[]): APIEmbed[][] {
  const groups: APIEmbed[][] = [];
  let current: APIEmbed[] = [];
  let size = 0;
  for (const e of embeds) {
    const n = embedSize(e);
    if (current.length > 0 && (current.length >= LIMITS.embeds || size + n > LIMITS.embedTotal)) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(e);
    size += n;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Characters Discord counts towards an embed's 6,000. */
export function embedSize(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((s, f) => s + f.name.length + f.value.length, 0)
  );
}

/** The paragraph around a quoted passage, for the "context" button. */
export function renderContext(passage: Passage, corpus: LoadedCorpus, lang: Lang): Reply {
  const article = corpus.articleById.get(passage.articleId);
  const paragraph = article?.paragraphs[passage.paragraph]?.join(' ') ?? passage.text;
  return {
    embeds: [
      {
        color: QUOTE_COLOR,
        title: truncate(passage.title, LIMITS.embedTitle),
        ...(passage.link ? { url: passage.link } : {}),
        description: blockQuote(truncate(escape(paragraph), LIMITS.embedDescription - 200)),
        fields: [{ name: TEXT[lang].date, value: escape(dateLabel(passage, lang)), inline: true }],
      },
    ],
    allowedMentions: NO_PINGS,
  };
}

/** An article's card for `/source`: title, date, link and the opening sentences. */
export function renderArticle(article: Article, lang: Lang): Reply {
  const t = TEXT[lang];
  const excerpt = truncate(article.paragraphs.flat().slice(0, 3).join(' '), 700);
  return {
    embeds: [
      {
        color: QUOTE_COLOR,
        title: truncate(article.title, LIMITS.embedTitle),
        ...(article.link ? { url: article.link } : {}),
        description: blockQuote(escape(excerpt)),
        fields: [
          { name: t.date, value: escape(dateLabel(article, lang)), inline: true },
          ...(article.link ? [{ name: t.source, value: truncate(article.link, LIMITS.fieldValue), inline: true }] : []),
        ],
      },
    ],
    allowedMentions: NO_PINGS,
  };
}

/** A short message of the bot's own (errors, cooldown, help). */
export function notice(content: string): Reply {
  return { content: truncate(content, LIMITS.content), allowedMentions: NO_PINGS };
}

/** The corpus and the engine behind the bot, for `/about`. */
export interface AboutInfo {
  articles: number;
  passages: number;
  dates: { first: string; last: string } | null;
  model: string | null;
  mode: string;
  builtAt: string | null;
}

export function renderAbout(info: AboutInfo, lang: Lang): Reply {
  const t = TEXT[lang];
  const fields = [
    { name: t.articles, value: String(info.articles), inline: true },
    { name: t.passages, value: String(info.passages), inline: true },
    { name: t.dateRange, value: info.dates ? `${info.dates.first} → ${info.dates.last}` : t.none, inline: true },
    { name: t.model, value: info.model ? escape(truncate(info.model, 200)) : t.none, inline: true },
    { name: t.mode, value: info.mode === 'lexical' ? t.lexicalOnly : info.mode, inline: true },
    { name: t.built, value: info.builtAt ?? t.none, inline: true },
  ];
  return { embeds: [{ color: NO_ANSWER_COLOR, title: t.aboutTitle, fields }], allowedMentions: NO_PINGS };
}
