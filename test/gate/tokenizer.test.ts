import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { installPieceLookup } from '../../src/core/model/transformers/piece-lookup.js';
import { ROOT, SEEDS_DIR, seedFiles } from '../helpers/seeds.js';
import { requireImportedModel } from './model.js';

describe("the imported model's tokenizer with PieceLookup", () => {
  it('gives the same token ids as with the library trie, on the seeds, the evaluation questions and other scripts', async () => {
    const model = requireImportedModel();
    const texts = [
      ...seedFiles().flatMap((f) => readFileSync(path.join(SEEDS_DIR, f), 'utf8').split(/\n\s*\n/u)),
      ...readFileSync(path.join(ROOT, 'test/eval/questions.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { q: string }).q),
      'Emoji 😀 et 𝒳 mêlés à 中文, 日本語, 한국어, Ελληνικά, русский, العربية, हिन्दी.',
      '🇫🇷🇻🇳 ﬁnances ＡＢＣ ½ ∑ e\u0301té   espaces   multiples',
    ];
    const T = await import('@xenova/transformers');
    T.env.allowRemoteModels = false;
    T.env.localModelPath = path.dirname(model);
    // This file's module graph is its own (vitest isolates files): nothing installed yet.
    const withTrie = await T.AutoTokenizer.from_pretrained(path.basename(model));
    expect(installPieceLookup((await import('@xenova/transformers/src/utils/data-structures.js' as string)) as never)).toBe(true);
    const withLookup = await T.AutoTokenizer.from_pretrained(path.basename(model));
    const ids = (tokenizer: typeof withTrie) => texts.map((t) => Array.from(tokenizer.encode(t) as number[]));
    const expected = ids(withTrie);
    expect(ids(withLookup)).toEqual(expected);
    expect(expected.flat().length).toBeGreaterThan(5000);
  });
});
