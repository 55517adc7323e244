/** The retrieval stage: BM25 over passages, dense search as the stores provide it, rank fusion, time narrowing. */
export { Analyzer, countWords } from './lexical/analysis.js';
export { BM25, bm25Idf, bm25IdfSql, Bm25Index, FIELD_BOOSTS, FUZZY_MIN_LENGTH, FUZZY_SHARE, FUZZY_WEIGHT } from './lexical/bm25.js';
export { buildLexicalIndex, type LexicalHit, type LexicalIndex, lexicalIndexOf, vocabularyTexts } from './lexical/index.js';
export { fuseRankings } from './fusion.js';
export { type DenseSearch, rankPassages, retrievalMode, type Retrievers } from './retrieve.js';
export { narrowByTime, type Narrowed, type OutsideDates, outsideDates } from './time-filter.js';
