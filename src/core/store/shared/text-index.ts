/**
 * The corpus and its lexical index in memory, kept up to date file by file. Applying a change
 * costs what the change touches, not what the corpus holds: passages of changed files are
 * removed from and added to the BM25 index, and the vocabulary that decides glued-word splits
 * is recounted, re-indexing the few passages whose words now split differently, so the index is
 * always the one a fresh build of the same files gives (up to the order of exact ties).
 */
import type { Lang } from '../../text/index.js';
import { words } from '../../text/index.js';
import { Analyzer, countWords } from '../../retrieval/index.js';
import { Bm25Index } from '../../retrieval/index.js';
import { lexicalIndexOf, vocabularyTexts, type LexicalIndex } from '../../retrieval/index.js';
import type { LoadedCorpus } from '../../text/index.js';
import type { Article, Passage, SkippedFile } from '../../types.js';
import { unionOfStated, type FileRecord } from './corpus-codec.js';

/** A change to apply: whole files replaced or added, files removed, files whose stat alone changed. */
export interface FileChange {
  upsert: readonly FileRecord[];
  remove: readonly string[];
  touch?: readonly Pick<FileRecord, 'file' | 'size' | 'mtimeMs'>[];
}

/** What applying a change did to the passages. */
export interface AppliedChange {
  added: Passage[];
  removed: Passage[];
  /** Passages re-indexed because a word of theirs now splits differently. */
  reindexed: number;
}

// Files in the order the engine has always used: by name as the locale sorts them.
const collator = new Intl.Collator();
const byName = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

export class TextIndex {
  private constructor(
    private files: Map<string, FileRecord>,
    readonly bm25: Bm25Index,
    private skippedNow: SkippedFile[],
  ) {
    this.order = [...files.keys()].sort(byName);
    for (const r of files.values()) this.index(r);
    this.corpus = this.derive();
    this.lexical = lexicalIndexOf(bm25);
  }

  /**
   * Lookups shared by every corpus object this index hands out, updated in place: rebuilding
   * them for 100,000 passages would cost more than the rest of an update. A corpus object still
   * in use by an answer in flight then finds new passages too, and no longer finds removed ones.
   */
  private readonly passageById = new Map<string, Passage>();
  private readonly articleById = new Map<string, Article>();

  private index(r: FileRecord): void {
    for (const p of r.passages) this.passageById.set(p.id, p);
    for (const a of r.articles) this.articleById.set(a.id, a);
  }

  private unindex(r: FileRecord): void {
    for (const p of r.passages) this.passageById.delete(p.id);
    for (const a of r.articles) this.articleById.delete(a.id);
  }

  private order: string[];
  /** The corpus as the answer pipeline sees it; a new object after every change. */
  corpus: LoadedCorpus;
  readonly lexical: LexicalIndex;

  /** Indexes `records` from scratch. */
  static build(records: readonly FileRecord[], skipped: SkippedFile[] = []): TextIndex {
    const files = new Map(records.map((r) => [r.file, r]));
    const passages = [...files.keys()].sort(byName).flatMap((f) => files.get(f)!.passages);
    const bm25 = new Bm25Index(new Analyzer(countWords(vocabularyTexts(passages))));
    for (const p of passages) bm25.add(p);
    return new TextIndex(files, bm25, skipped);
  }

  /** An index read back from disk: `bm25` must index exactly the passages of `records`. */
  static restore(records: readonly FileRecord[], bm25: Bm25Index): TextIndex {
    const files = new Map(records.map((r) => [r.file, r]));
    let passages = 0;
    for (const r of records) passages += r.passages.length;
    if (passages !== bm25.documentCount) throw new Error(`the lexical index holds ${bm25.documentCount} passages, the files ${passages}`);
    const index = new TextIndex(files, bm25, []);
    // Same count, and every indexed id is a distinct passage: the same set.
    const seen = new Set<Passage>();
    for (const id of bm25.liveIds()) {
      const p = index.passageById.get(id);
      if (!p) throw new Error(`the lexical index holds passage ${id}, which no file has`);
      seen.add(p);
    }
    if (seen.size !== passages || index.passageById.size !== passages) throw new Error('a passage id is listed twice');
    return index;
  }

  record(file: string): FileRecord | undefined {
    return this.files.get(file);
  }

  /** Every file record, in corpus order. */
  records(): FileRecord[] {
    return this.order.map((f) => this.files.get(f)!);
  }

  get recordMap(): ReadonlyMap<string, FileRecord> {
    return this.files;
  }

  /** Applies `change`; `skipped` becomes the corpus's list of files skipped by the latest scan. */
  apply(change: FileChange, skipped: SkippedFile[] = this.skippedNow): AppliedChange {
    const removed: Passage[] = [];
    const added: Passage[] = [];
    const gone = new Set<string>();
    for (const file of [...change.remove, ...change.upsert.map((r) => r.file)]) {
      const old = this.files.get(file);
      if (old && !gone.has(file)) {
        gone.add(file);
        removed.push(...old.passages);
      }
    }
    // In corpus order, so that indexing every file into an empty index is exactly a fresh build.
    const upserts = [...change.upsert].sort((a, b) => byName(a.file, b.file));
    for (const r of upserts) added.push(...r.passages);

    // Vocabulary first, so every passage is analysed against the vocabulary a fresh build would use.
    const changedWords = this.bm25.analyzer.recount(vocabularyTexts(added), vocabularyTexts(removed));
    const removedIds = new Set(removed.map((p) => p.id));
    const reindex = this.passagesWithWords(changedWords, removedIds);

    for (const p of removed) this.bm25.remove(p.id);
    for (const p of reindex) this.bm25.remove(p.id);
    for (const p of reindex) this.bm25.add(p);
    for (const p of added) {
      // Two files cannot hold the same passage id (ids hash the article id, which is the file name).
      this.bm25.add(p);
    }

    const reorder = change.remove.length > 0 || change.upsert.some((r) => !this.files.has(r.file));
    for (const file of [...change.remove, ...change.upsert.map((r) => r.file)]) {
      const old = this.files.get(file);
      if (old) this.unindex(old);
    }
    for (const file of change.remove) this.files.delete(file);
    for (const r of change.upsert) {
      this.files.set(r.file, r);
      this.index(r);
    }
    for (const t of change.touch ?? []) {
      const r = this.files.get(t.file);
      if (r) this.files.set(t.file, { ...r, size: t.size, mtimeMs: t.mtimeMs });
    }
    if (reorder) this.order = [...this.files.keys()].sort(byName);
    this.skippedNow = skipped;
    this.corpus = this.derive();
    return { added, removed, reindexed: reindex.length };
  }

  /** Indexed passages (not about to be removed) that contain one of `changed` words, in index order. */
  private passagesWithWords(changed: ReadonlyMap<string, readonly string[]>, removedIds: ReadonlySet<string>): Passage[] {
    const out = new Map<string, Passage>();
    for (const [word, before] of changed) {
      const stem = before[0];
      if (stem === undefined) continue;
      for (const id of this.bm25.idsWithTerm(stem)) {
        if (removedIds.has(id) || out.has(id)) continue;
        const p = this.corpus.passageById.get(id);
        if (p && (words(p.text).includes(word) || words(p.title).includes(word))) out.set(id, p);
      }
    }
    return [...out.values()];
  }

  private derive(): LoadedCorpus {
    const articles: Article[] = [];
    const passages: Passage[] = [];
    const languages = new Set<Lang>();
    for (const f of this.order) {
      const r = this.files.get(f)!;
      for (const a of r.articles) articles.push(a);
      for (const p of r.passages) passages.push(p);
      for (const l of r.languages) languages.add(l);
    }
    const stated = unionOfStated(this.order.map((f) => this.files.get(f)!.stated));
    return {
      articles,
      passages,
      skipped: this.skippedNow,
      passageById: this.passageById,
      articleById: this.articleById,
      languages: [...languages].sort(),
      ...(stated ? { statedDates: stated } : {}),
    };
  }
}
