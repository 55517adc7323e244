/** Every use of transformers.js internals, fenced: the rest of the code reaches the library through this face only. */
export { openFeatureExtractor } from './feature-extractor.js';
export { installPieceLookup } from './piece-lookup.js';
