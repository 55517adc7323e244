/** Asking: a question parsed once, answered from what the store hands over, with its dates. */
import { LRUCache } from 'lru-cache';
import { answerQuestion, namesIn, type Tuning } from '../core/answer/index.js';
import { outsideDates } from '../core/retrieval/index.js';
import type { CorpusStore } from '../core/store/index.js';
import { findStatedDate, MAX_QUESTION_CHARS, overlaps, parseQuestion, resolveFollowUp, type LoadedCorpus, type Question } from '../core/text/index.js';
import type { Retrievers } from '../core/retrieval/index.js';
import type { Answer, Quote } from '../core/types.js';
import type { EngineModel } from './model-load.js';
import type { AskOptions, EngineLog } from './types.js';

/** Question vectors kept: 1,000 × 384 floats is about 3 MB. */
const QUERY_VECTOR_CACHE = 1000;

/** The model could not embed a question: the engine answers lexically instead. */
class QuestionEmbeddingError extends Error {
  override name = 'QuestionEmbeddingError';
}

/**
 * Question vectors, cached: the same question comes back often (a follow-up, someone else
 * asking, the evaluation's sweep); its vector does not depend on the corpus, so it outlives re-indexing.
 */
export function questionVectors(model: EngineModel): (question: string) => Promise<number[]> {
  const cache = new LRUCache<string, number[]>({
    max: QUERY_VECTOR_CACHE,
    fetchMethod: async (q) => (await model.embedder!.embedQueries([q]))[0]!,
  });
  return async (q) => {
    try {
      return (await cache.fetch(q))!;
    } catch (error) {
      throw new QuestionEmbeddingError(error instanceof Error ? error.message : String(error));
    }
  };
}

/** `ask` over a store: a model that stops answering (its thread died) costs the dense half, not the answer. */
export function createAsk(store: Pick<CorpusStore, 'forQuestion' | 'indexFree'>, model: EngineModel, tuning: Readonly<Tuning>, log: EngineLog): (question: string, options?: AskOptions) => Promise<Answer> {
  let modelFailing = false;
  const answer = async (raw: string, opts: AskOptions | undefined): Promise<Answer> => {
    const settings = opts?.tuning ?? tuning;
    const lexicalOnly = opts?.mode === 'lexical';
    const asked = parseQuestion(raw);
    let question = asked;
    let { corpus, retrievers } = await store.forQuestion(question.time.topic, settings.rankDepth, lexicalOnly, model.embedder);
    const followUp = opts?.previous ? resolveFollowUp(question.text, opts.previous.understood, namesNear(question, retrievers, corpus, settings.rankDepth)) : null;
    if (followUp && opts?.previous) {
      // The previous question's words may make it longer than one question may be; it is still one question.
      question = { ...parseQuestion(followUp.understood, 2 * MAX_QUESTION_CHARS), context: { preferArticles: new Set(opts.previous.articles), avoidQuotes: new Set(followUp.other ? opts.previous.quotes : []), asks: followUp.asks } };
      ({ corpus, retrievers } = await store.forQuestion(question.time.topic, settings.rankDepth, lexicalOnly, model.embedder));
    }
    const answered = { ...(await answerQuestion(question, corpus, retrievers, { ...opts, tuning: settings })), question: asked.text, followUp };
    const { period } = question.time;
    let outside = period && !answered.answered ? outsideDates(period, corpus) : null;
    // PG_LEXICAL=postgres: `corpus` holds the passages this question read, every article's date
    // (the catalogue) and the dates passages state (when every file has them: see readCatalogue).
    if (outside && store.indexFree && corpus.articles.some((a) => a.date !== null && overlaps(a.date, period!))) outside = null;
    return { ...answered, results: answered.results.map((r) => withDates(r, corpus)), period, outsideDates: outside };
  };
  return async (question, opts) => {
    try {
      const result = await answer(question, opts);
      modelFailing = false;
      return result;
    } catch (error) {
      if (!(error instanceof QuestionEmbeddingError) || opts?.mode === 'lexical') throw error;
      if (!modelFailing) log.warn(`The embedding model failed (${error.message}). Answering with lexical retrieval until it works again.`);
      modelFailing = true;
      return answer(question, { ...opts, mode: 'lexical' });
    }
  };
}

/** Whether the articles near a question write a word as a name: for a follow-up typed in lower case ("et singapour ?"). */
function namesNear(question: Question, retrievers: Retrievers, corpus: LoadedCorpus, depth: number): (word: string) => boolean {
  const near = retrievers.lexical
    .search(question.time.topic, depth)
    .map((r) => corpus.passageById.get(r.id))
    .filter((p) => p !== undefined);
  const names = namesIn(near);
  return (w) => names.has(w);
}

/**
 * A quote's two dates, kept apart: its article's publication date (a related-article blurb has
 * none of its own), and a date the quoted text itself states.
 */
function withDates(quote: Quote, corpus: LoadedCorpus): Quote {
  const article = corpus.articleById.get(quote.articleId);
  const main = article && article.kind === 'article' ? article : null;
  // A dateline's day without a year ("25 juillet") is where the article starts, not when it was published.
  const published = main && main.date !== null ? { date: main.date, dateText: main.dateText } : null;
  const dateline = main && main.date === null && main.dateText !== null ? main.dateText : null;
  return { ...quote, published, stated: findStatedDate(quote.quote), dateline };
}
