/** What both corpus stores use: the seed scan, corpus records, the passage diff, the checks of embedded vectors, the in-memory text index, the text hash and the index report. */
export { decodeCorpus, encodeCorpus, type FileRecord, statedOf, unionOfStated } from './corpus-codec.js';
export { formatReport, type IndexReport, type UpdateStage } from './index-report.js';
export { diffPassages } from './passage-diff.js';
export { scanSeeds, type SeedChanges } from './scan.js';
export { TEXT_HASH_BYTES, textHash } from './text-hash.js';
export { type AppliedChange, type FileChange, TextIndex } from './text-index.js';
export { checkedUnitVectors } from './vector-checks.js';
