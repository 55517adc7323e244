/**
 * Every use of transformers.js internals, fenced: the rest of the code reaches the library
 * through this face only. The shape check and the fallback to the library's own path are in fence.ts.
 */
export { type ExtractorSource, type FenceOptions, hubHost, type LibraryModules, openExtractor, type Workarounds } from './fence.js';
export type { ModelPlace } from './env.js';
export type { FeatureExtractor } from './feature-extractor.js';
