import { ButtonStyle, ComponentType, escapeMarkdown, type APIActionRowComponent, type APIButtonComponent, type APIEmbed, type APIStringSelectComponent } from 'discord.js';
import { FEEDBACK_REASONS } from '../core/store/index.js';
import { FEEDBACK_BUTTON, FEEDBACK_REASON_MENU } from './feedback.js';
import type { LoadedCorpus } from '../core/text/index.js';
import { dateLabel, type Lang } from '../core/text/index.js';
import type { Answer, Article, Passage, Quote } from '../core/types.js';
import type { AboutFacts, AddResult, News } from '../engine/index.js';
import { EVALUATION, type EvaluationSummary } from './evaluation.js';
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
/** Closest passages that do not answer: never in an answer's colour. */
const RELATED_COLOR = 0xb7791f;
const NO_ANSWER_COLOR = 0x718096;
/** Prefix of the custom id of the "context" buttons. */
export const CONTEXT_BUTTON = 'ctx:';

/** Markdown in source text is shown as written, never interpreted. */
export const escape = (text: string): string => escapeMarkdown(text, { codeBlock: true, inlineCode: true, bulletedList: true, numberedList: true, heading: true, maskedLink: true });
/** Every line of `text` as a block quote. */
const blockQuote = (text: string): string =>
  text
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');

/**
 * An answer as Discord messages: one embed per quote (the quote verbatim in a block quote,
 * the article's title, date and link), a "context" button per quote, split over several
 * messages when the limits require it. Passages that are only related (`match: 'related'`) come
 * after a heading that says the articles do not answer, in their own colour, each embed saying
 * it is not an answer (a quote shown alone, as in a screenshot, still says so).
 */
export function renderAnswer(answer: Answer, lang: Lang, feedbackId: string | null = null): Reply[] {
  let replies = answerReplies(answer, lang);
  // Others in the channel see what was asked (and, for a follow-up, what it was read as) before the quotes.
  const asked = [questionLine(answer.question), followUpLine(answer, lang)].filter((l) => l !== null).join('\n');
  if (replies.length > 0) {
    const [first, ...rest] = replies;
    replies = [{ ...first!, content: truncate(`${asked}\n${first!.content ?? ''}`.trim(), LIMITS.content) }, ...rest];
  }
  if (feedbackId === null || replies.length === 0) return replies;
  // 👍 / 👎 under the last message, below its context buttons.
  const last = replies.at(-1)!;
  return [...replies.slice(0, -1), { ...last, components: [...(last.components ?? []), feedbackRow(feedbackId, lang)] }];
}

function feedbackRow(id: string, lang: Lang): APIActionRowComponent<APIButtonComponent> {
  const t = TEXT[lang];
  const button = (vote: 'up' | 'down', emoji: string, label: string): APIButtonComponent => ({ type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: emoji }, label, custom_id: `${FEEDBACK_BUTTON}${vote}:${id}` });
  return { type: ComponentType.ActionRow, components: [button('up', '👍', t.feedbackUp), button('down', '👎', t.feedbackDown)] };
}

/** After a 👎: thanks, and an optional reason to pick. */
export function renderFeedbackReasons(entry: string, lang: Lang): { content: string; components: APIActionRowComponent<APIStringSelectComponent>[]; allowedMentions: { parse: [] } } {
  const t = TEXT[lang];
  return {
    content: t.feedbackWhy,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [{ type: ComponentType.StringSelect, custom_id: `${FEEDBACK_REASON_MENU}${entry}`, options: FEEDBACK_REASONS.map((r) => ({ label: t.feedbackReasons[r], value: r })) }],
      },
    ],
    allowedMentions: NO_PINGS,
  };
}

/** The question as asked, on one line, short, its Markdown escaped (mentions were stripped before it was asked). */
function questionLine(question: string): string {
  return `**${escape(truncate(question.replace(/\s+/gu, ' ').trim(), QUESTION_SHOWN))}**`;
}
const QUESTION_SHOWN = 200;

/**
 * At most about `QUOTE_SHOWN` characters of a sentence, cut at a word with a visible "[…]": the
 * rest is one click away (Context). What is shown is the sentence's own opening, verbatim.
 */
export function quoteShown(quote: string): string {
  if (quote.length <= QUOTE_SHOWN) return quote;
  const cut = quote.slice(0, QUOTE_SHOWN);
  const space = cut.lastIndexOf(' ');
  return `${(space > QUOTE_SHOWN / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/u, '')} […]`;
}
const QUOTE_SHOWN = 400;

/** A follow-up says what it was read as, in small print: "Suite de « Qui a rencontré Patrushev ? »". */
function followUpLine(answer: Answer, lang: Lang): string | null {
  const f = answer.followUp;
  if (!f) return null;
  const t = TEXT[lang];
  const line = f.replaced ? t.replacedBy(f.replaced.from, f.replaced.to) : t.followUpOf(truncate(f.about, 200));
  return `-# ↪ ${escape(line)}`;
}

function answerReplies(answer: Answer, lang: Lang): Reply[] {
  const t = TEXT[lang];
  if (answer.match === 'nothing') {
    const pointers = answer.pointers.map((p) => `• ${escape(truncate(p, 150))}`).join('\n');
    const languages = answer.articleLanguages?.map((l) => t.languageNames[l]).join(', ');
    const notAnswered = languages ? `${t.notAnswered} ${t.otherLanguage(languages)}` : t.notAnswered;
    if (answer.period && answer.outsideDates) return [notice(t.outsidePeriod(answer.period.label, answer.outsideDates))];
    const content = pointers ? `${notAnswered}\n${t.closest}\n${pointers}` : notAnswered;
    return [{ content: truncate(content, LIMITS.content), allowedMentions: NO_PINGS }];
  }
  const related = answer.match === 'related';
  const embeds = answer.results.flatMap((r, i) => {
    // The block-quote marks take room too, so the quote is split with a margin.
    const parts = splitText(escape(quoteShown(r.quote)), LIMITS.embedDescription - 200);
    return parts.map<APIEmbed>((part, j) => ({
      color: related ? RELATED_COLOR : QUOTE_COLOR,
      ...(related ? { footer: { text: t.relatedFooter } } : {}),
      ...(j === 0 ? { title: truncate(`${i + 1}. ${escape(r.title)}`, LIMITS.embedTitle) } : {}),
      ...(j === 0 && r.link ? { url: r.link } : {}),
      description: blockQuote(part),
      ...(j === parts.length - 1
        ? {
            // The link once: on the title.
            fields: dateFields(r, lang),
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
    ...(i === 0 ? { content: related ? t.relatedHeader : answer.period ? (answer.results.some((r) => r.published === null) ? t.headerPeriodUndated(answer.period.label) : t.headerPeriod(answer.period.label)) : t.header } : {}),
    embeds: group,
    ...(i === messages.length - 1 && buttons.length > 0 ? { components: [{ type: ComponentType.ActionRow, components: buttons }] } : {}),
    allowedMentions: NO_PINGS,
  }));
}

/**
 * A quote's dates, each labelled: the article's publication date, and separately a date the
 * quoted sentence itself states (an event date is never shown as the publication date). A quote
 * the engine did not annotate shows its one date as before.
 */
function dateFields(r: Quote, lang: Lang): { name: string; value: string; inline: true }[] {
  const t = TEXT[lang];
  if (r.published === undefined && r.stated === undefined) return [{ name: t.date, value: truncate(escape(dateLabel(r, lang)), LIMITS.fieldValue), inline: true }];
  const fields: { name: string; value: string; inline: true }[] = [{ name: t.publishedField, value: r.published ? escape(dateLabel(r.published, lang)) : t.noPublicationDate, inline: true }];
  // A dateline's day is not a publication date: shown as what it is.
  if (!r.published && r.dateline) fields.push({ name: t.datelineField, value: `« ${escape(r.dateline)} »`, inline: true });
  if (r.stated && (r.stated.date !== r.published?.date || r.stated.date === null)) fields.push({ name: t.statedField, value: escape(dateLabel(r.stated, lang)), inline: true });
  return fields;
}

/** Groups embeds into messages of at most 10 embeds and 6,000 characters. */
function packEmbeds(embeds: APIEmbed[]): APIEmbed[][] {
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
  // More than the quote: its paragraph with the ones around it (a paragraph is often a single sentence).
  const paragraphs = article?.paragraphs ?? [];
  const around = [paragraphs[passage.paragraph - 1], paragraphs[passage.paragraph], paragraphs[passage.paragraph + 1]].filter((p) => p !== undefined).map((p) => p.join(' '));
  const paragraph = around.length > 0 ? around.join('\n\n') : passage.text;
  return {
    embeds: [
      {
        color: QUOTE_COLOR,
        title: truncate(escape(passage.title), LIMITS.embedTitle),
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
        title: truncate(escape(article.title), LIMITS.embedTitle),
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

/** A new article of a server's feed, announced in its channel: title, date, link and its opening sentence verbatim. */
export function renderAnnouncement(article: Article, lang: Lang): Reply {
  return { content: TEXT[lang].newArticle, embeds: [articleCard(article, article.paragraphs.flat()[0] ?? '', lang)], allowedMentions: NO_PINGS };
}

/** An article as a card: its title (linked), its opening sentence verbatim, its date. */
function articleCard(article: Article, opening: string, lang: Lang): APIEmbed {
  return {
    color: QUOTE_COLOR,
    title: truncate(escape(article.title), LIMITS.embedTitle),
    ...(article.link ? { url: article.link } : {}),
    description: blockQuote(truncate(escape(opening), LIMITS.embedDescription - 200)),
    fields: [{ name: TEXT[lang].date, value: escape(dateLabel(article, lang)), inline: true }],
  };
}

/** An extractive summary: the article's own sentences, verbatim, in its order, with its title, date and link. */
export function renderSummary(summary: { article: Article; sentences: readonly string[] }, lang: Lang): Reply {
  const { article, sentences } = summary;
  const card = articleCard(article, '', lang);
  const description = truncate(sentences.map((s) => blockQuote(escape(s))).join('\n\n'), LIMITS.embedDescription);
  return { content: TEXT[lang].summaryHeader, embeds: [{ ...card, description }], allowedMentions: NO_PINGS };
}

/** "What's new": the newest articles (of the period, on the topic), newest first, or a plain "none". */
export function renderNews(news: News, lang: Lang): Reply {
  const t = TEXT[lang];
  const about = [news.topic ? t.newsOn(escape(news.topic)) : null, news.period?.label ?? null].filter(Boolean).join(' ');
  if (news.items.length === 0) return notice(t.newsNone(about));
  return { content: t.newsHeader(about), embeds: news.items.slice(0, LIMITS.embeds).map((i) => articleCard(i.article, i.opening, lang)), allowedMentions: NO_PINGS };
}

/**
 * What the bot can do, in the asker's language: asking, the commands, and three example
 * questions made from titles the articles have.
 */
export function renderHelp(titles: readonly string[], lang: Lang): Reply {
  const t = TEXT[lang];
  const examples = titles.slice(0, 3).map((title) => `• ${t.helpExample(escape(truncate(title, 120)))}`);
  return notice([t.helpIntro, ...(examples.length ? [t.helpExamples, ...examples] : []), t.helpCommands].join('\n'));
}

/** A short message of the bot's own (errors, cooldown, help). */
export function notice(content: string): Reply {
  return { content: truncate(content, LIMITS.content), allowedMentions: NO_PINGS };
}

/** The corpus and the engine behind the bot, for `/about`. */
export type AboutInfo = Omit<AboutFacts, 'feeds'> & { feeds?: AboutFacts['feeds']; /** 👍 and all ratings in this server, for its operators. */ ratings?: { up: number; all: number } };

export function renderAbout(info: AboutInfo, lang: Lang, evaluation: EvaluationSummary = EVALUATION): Reply {
  const t = TEXT[lang];
  const fields: { name: string; value: string; inline: boolean }[] = [
    { name: t.articles, value: String(info.articles), inline: true },
    { name: t.passages, value: String(info.passages), inline: true },
    { name: t.dateRange, value: dateRangeText(info, lang), inline: true },
    { name: t.model, value: info.model ? escape(truncate(info.model, 200)) : t.none, inline: true },
    { name: t.mode, value: t.modes[info.mode], inline: true },
    // Discord's timestamp markup: shown in each reader's own time zone and language ("il y a 3 heures").
    { name: t.built, value: info.builtAt && Number.isFinite(Date.parse(info.builtAt)) ? `<t:${Math.floor(Date.parse(info.builtAt) / 1000)}:f> (<t:${Math.floor(Date.parse(info.builtAt) / 1000)}:R>)` : t.none, inline: true },
  ];
  if (info.own !== undefined) fields.push({ name: t.ownLibrary, value: info.own && info.own.articles > 0 ? t.ownCounts(info.own.articles, info.own.passages) : t.ownNone, inline: false });
  if (info.ratings && info.ratings.all > 0) {
    const pct = `${Math.round((100 * info.ratings.up) / info.ratings.all)}${lang === 'fr' ? '\u202f%' : '%'}`;
    fields.push({ name: t.feedbackTitle, value: t.feedbackShare(info.ratings.up, info.ratings.all, pct), inline: false });
  }
  if (evaluation.categories.length > 0) fields.push({ name: truncate(t.evaluationTitle(evaluation.questions, evaluation.measured), LIMITS.fieldName), value: truncate(evaluationLines(evaluation, lang), LIMITS.fieldValue), inline: false });
  // One field per feed, within Discord's 25 fields.
  for (const feed of (info.feeds ?? []).slice(0, LIMITS.fields - fields.length)) {
    fields.push({ name: truncate(`${t.feeds} · ${escape(feed.title ?? feed.url)}`, LIMITS.fieldName), value: truncate(escape(t.feedLine(feed)), LIMITS.fieldValue), inline: false });
  }
  return { embeds: [{ color: NO_ANSWER_COLOR, title: t.aboutTitle, fields }], allowedMentions: NO_PINGS };
}

/** Publication dates, then how many items have none and the dates their text states, labelled as such. */
function dateRangeText(info: AboutInfo, lang: Lang): string {
  const t = TEXT[lang];
  const lines = [info.dates ? t.publishedRange(info.dates.first, info.dates.last) : t.noPublishedDates];
  if (info.undated && info.undated.items > 0) lines.push(t.undatedItems(info.undated.items, info.undated.stated));
  return lines.join('\n');
}

/** The measured figures by category, one line each: how often the right quote comes, or the bot declines. */
function evaluationLines(e: EvaluationSummary, lang: Lang): string {
  const t = TEXT[lang];
  const pct = (x: number) => `${Math.round(x * 100)} %`.replace(' %', lang === 'fr' ? '\u202f%' : '%');
  const lines = e.categories.map((c) => {
    const name = t.categoryNames[c.category] ?? c.category;
    return c.hitAt3 !== null ? t.categoryAnswered(name, c.questions, pct(c.hitAt3)) : t.categoryDeclined(name, c.questions, pct(c.declined ?? 0));
  });
  lines.push(t.falseDeclines(pct(e.falseDeclines)));
  return lines.join('\n');
}

/** What `/add` did, one line per link, in the asker's language. */
export function renderAddResults(results: readonly AddResult[], lang: Lang): Reply {
  const t = TEXT[lang];
  // French puts a space before the colon.
  const colon = lang === 'fr' ? ' :' : ':';
  const lines = results.map((r) => {
    if (!r.ok) {
      const reason = t.addError[r.error.code]?.(r.error.detail) ?? r.error.message;
      return `${t.notAdded}${colon} <${truncate(r.url, 300)}> — ${reason}`;
    }
    const date = r.date ? `${t.published} ${r.date}` : t.noPublicationDate;
    return `${t.added[r.status]}${colon} **${escape(r.title)}** (${date}, ${t.passagesCount(r.passages ?? 0)})`;
  });
  return notice(lines.join('\n'));
}

/** `/cite`: « sentence » — title, publication date, link; ready to paste. */
export function renderCitation(article: Article, sentence: string, lang: Lang): Reply {
  const t = TEXT[lang];
  const date = article.kind === 'article' && article.date ? t.publishedOn(article.date) : t.noPublicationDate;
  const parts = [`« ${escape(sentence)} »`, `— ${escape(article.title)}, ${date}`];
  const citation = `${parts.join(' ')}${article.link ? `, <${article.link}>` : ''}`;
  return notice(citation);
}

/**
 * "Find sources": quotes that state a message's claim, or the closest passages set apart when
 * the articles only touch on it ("related", never "supported"), or a plain "the articles do not
 * support it".
 */
export function renderClaim(answer: Answer, lang: Lang, messageUrl: string): Reply[] {
  const t = TEXT[lang];
  const link = `[${t.thisMessage}](${messageUrl})`;
  if (answer.match === 'nothing') return [notice(t.claimUnsupported(link))];
  const replies = renderAnswer(answer, lang);
  const header = answer.match === 'related' ? t.claimRelated(link) : t.claimHeader(link);
  return replies.map((r, i) => (i === 0 ? { ...r, content: header } : r));
}
