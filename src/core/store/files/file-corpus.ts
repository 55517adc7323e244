/**
 * The default corpus store: the text index (text-store.ts) and the vector index (vector-index/)
 * in one folder, both held by this process and updated file by file.
 */
import type { FeedbackLog } from '../index.js';
import { FileFeedbackLog } from './feedback-log.js';
import path from 'node:path';
import type { CorpusStore, CorpusView, ReindexResult, StoreContext } from '../index.js';
import type { LoadedCorpus } from '../../text/index.js';
import { retrievalMode, type Retrievers } from '../../retrieval/index.js';
import type { Article, Passage, RetrievalMode } from '../../types.js';
import type { IndexReport } from '../shared/index.js';
import { prepareVectorIndex, updateVectorIndex, type PreparedIndex, type VectorIndex } from './vector-index/index.js';
import { TEXT_DIR, TextStore } from './text-store.js';

interface FileCorpusOptions {
  embeddingsDir: string;
  seedsDir: string;
  /** Read and check the vector index's files right away, while the model loads (there will be one). */
  prepareVectors: boolean;
}

export class FileCorpusStore implements CorpusStore {
  readonly kind = 'files';
  readonly indexFree = false;
  private text: TextStore | null = null;
  private vectors: VectorIndex | null = null;
  private prepared: Promise<PreparedIndex | null> | null;
  /** Null until the first update, which the engine awaits before answering. */
  private current: (CorpusView & { builtAt: string | null }) | null = null;

  readonly feedback: FeedbackLog;

  constructor(
    private readonly options: FileCorpusOptions,
    private readonly context: StoreContext,
  ) {
    this.feedback = new FileFeedbackLog(options.embeddingsDir);
    this.prepared = options.prepareVectors ? prepareVectorIndex(options.embeddingsDir).catch(() => null) : null;
  }

  get view(): CorpusView {
    if (!this.current) throw new Error('the corpus is read at the first update');
    return this.current;
  }

  get builtAt(): string | null {
    return this.current?.builtAt ?? null;
  }

  mode(): RetrievalMode {
    return this.current ? retrievalMode(this.current.retrievers) : 'lexical';
  }

  async update(): Promise<ReindexResult> {
    const { log, onProgress } = this.context;
    const [textStore, embedder] = await Promise.all([this.updateText(), this.context.embedder()]);
    const { corpus, lexical } = textStore.index;
    const retrievers: Retrievers = { lexical };
    let vectors: VectorIndex | null = null;
    let report: IndexReport | null = null;
    if (embedder) {
      ({ index: vectors, report } = await updateVectorIndex({
        dir: this.options.embeddingsDir,
        embedder,
        passages: corpus.passages,
        previous: this.vectors,
        prepared: this.prepared,
        uniqueIds: true,
        log: (line) => log.info(line),
        ...(onProgress ? { onProgress } : {}),
      }));
      if (report.rebuilt) log.warn(`Vector index rebuilt: ${report.rebuilt}.`);
      const index = vectors;
      this.vectors = vectors;
      this.prepared = null;
      retrievers.dense = {
        modelName: embedder.name,
        family: embedder.prefix.name,
        embedQuery: (q) => this.context.embedQuery(q),
        search: (v, k) => index.search(v, k),
        sentenceVector: (s) => index.sentenceVector(s),
        passageVector: (id) => index.passageVector(id),
      };
    }
    this.current = { corpus, retrievers, builtAt: vectors?.builtAt ?? null };
    const kept = [...new Set(corpus.skipped.filter((s) => corpus.articles.some((a) => a.file === s.file)).map((s) => s.file))];
    return { articles: corpus.articles.length, passages: corpus.passages.length, skipped: corpus.skipped.map((s) => s.file), kept, vectors: report };
  }

  async forQuestion(): Promise<CorpusView> {
    return this.view;
  }

  passageCount(file?: string): number {
    if (file === undefined) return this.view.corpus.passages.length;
    return this.text?.index.record(file)?.passages.length ?? 0;
  }

  async article(article: Article): Promise<Article | null> {
    return article;
  }

  async passageContext(id: string): Promise<{ passage: Passage; corpus: LoadedCorpus } | null> {
    const { corpus } = this.view;
    const passage = corpus.passageById.get(id);
    return passage ? { passage, corpus } : null;
  }

  async close(): Promise<void> {}

  /** The corpus and its lexical index, kept on disk and updated file by file. */
  private async updateText(): Promise<TextStore> {
    if (this.text) {
      await this.text.update();
      return this.text;
    }
    const opened = await TextStore.open({ dir: path.join(this.options.embeddingsDir, TEXT_DIR), seedsDir: this.options.seedsDir, log: this.context.log });
    if (opened.report.rebuilt) this.context.log.warn(`Text index rebuilt: ${opened.report.rebuilt}.`);
    return (this.text = opened.store);
  }
}
