/**
 * The corpus in PostgreSQL as a CorpusStore (corpus-store.ts): this process reads it through
 * PgLive, which follows other processes' writes, and writes only when asked to (`npm run index`,
 * `/reindex`, `/add`, feeds), or at start when the database holds no corpus yet.
 */
import type { CorpusStore, CorpusView, ReindexResult, StoreContext } from '../index.js';
import type { LoadedCorpus } from '../../text/index.js';
import type { Embedder } from '../../model/index.js';
import type { Article, Passage, RetrievalMode } from '../../types.js';
import type { IndexReport } from '../shared/index.js';
import { PgLive, type PgLexical } from './live.js';
import type { FeedbackLog } from '../index.js';
import { PgFeedbackLog } from './feedback-log.js';

interface PgCorpusOptions {
  url: string;
  seedsDir: string;
  lexical: PgLexical;
  /** Write the seeds at start; default: only into an empty database. */
  updateOnStart?: boolean;
  /**
   * Wait for the database at start (default). A bot does not: it logs in at once and answers
   * "temporarily unavailable" until the database answers.
   */
  waitForDatabase?: boolean;
  /** Stop waiting for an unreachable database after this long (default: wait for ever, as a bot should). */
  giveUpAfterMs?: number;
  /** How often to check for a new corpus version besides LISTEN/NOTIFY. */
  pollMs?: number;
}

const NOTHING: ReindexResult = { articles: 0, passages: 0, skipped: [], kept: [], vectors: null };

export class PgCorpus implements CorpusStore {
  readonly kind = 'postgres';
  private readonly live: PgLive;
  readonly feedback: FeedbackLog;

  constructor(
    private readonly options: PgCorpusOptions,
    private readonly context: StoreContext,
  ) {
    this.live = new PgLive(options.url, context.log, options.lexical, options.giveUpAfterMs);
    this.feedback = new PgFeedbackLog(async () => (await this.live.connected).pool);
  }

  /** The connection, a first write when the database is empty (or asked for), then following changes. */
  async open(): Promise<ReindexResult> {
    const first = async (): Promise<ReindexResult> => {
      const store = await this.live.connected;
      const write = this.options.updateOnStart ?? (await store.state()).version === 0;
      const result = await this.write(write);
      this.live.watch(() => {}, this.options.pollMs);
      return result;
    };
    if (this.options.waitForDatabase !== false) return first();
    first().catch((error: unknown) => this.context.log.warn(`corpus database: ${error instanceof Error ? error.message : String(error)}`));
    return NOTHING;
  }

  get view(): CorpusView {
    return { corpus: this.live.corpus, retrievers: { lexical: this.live.text.lexical } };
  }

  get builtAt(): string | null {
    return this.live.state?.builtAt ?? null;
  }

  mode(embedder: Embedder | null): RetrievalMode {
    return this.live.denseModel(embedder) ? 'hybrid' : 'lexical';
  }

  update(): Promise<ReindexResult> {
    return this.write(true);
  }

  /** Vectors (and, with PG_LEXICAL=postgres, the ranking, word weights and passages) come from the database. */
  forQuestion(topic: string, depth: number, lexicalOnly: boolean, embedder: Embedder | null): Promise<CorpusView> {
    this.live.ready();
    return this.live.question(topic, depth, lexicalOnly, embedder, (q) => this.context.embedQuery(q));
  }

  passageCount(file?: string): number {
    return this.live.passageCount(file);
  }

  article(article: Article): Promise<Article | null> {
    // PG_LEXICAL=postgres: the catalogue holds no text; the article is read from the database.
    return this.live.indexFree ? this.live.article(article.id) : Promise.resolve(article);
  }

  passageContext(id: string): Promise<{ passage: Passage; corpus: LoadedCorpus } | null> {
    return this.live.passageView(id);
  }

  get indexFree(): boolean {
    return this.live.indexFree;
  }

  close(): Promise<void> {
    return this.live.close();
  }

  private async write(write: boolean): Promise<ReindexResult> {
    const embedder = await this.context.embedder();
    const store = this.live.ready();
    let report: IndexReport | null = null;
    let skipped: string[] = [];
    if (write) {
      const { log, onProgress } = this.context;
      const r = await store.update({ seedsDir: this.options.seedsDir, embedder, log: (line) => log.info(line), ...(onProgress ? { onProgress } : {}) });
      report = embedder ? r.report : null;
      skipped = r.skipped.map((x) => x.file);
      if (report?.rebuilt) log.warn(`Vector index rebuilt: ${report.rebuilt}.`);
    }
    await this.live.refresh();
    const { corpus } = this.view;
    const kept = skipped.filter((f) => corpus.articles.some((a) => a.file === f));
    return { articles: corpus.articles.length, passages: this.live.passageCount(), skipped, kept, vectors: report };
  }
}
