/**
 * A faster stand-in for the character trie transformers.js 2.17 builds for a Unigram tokenizer.
 *
 * Loading a Unigram tokenizer (multilingual-e5's has 250,002 pieces) pushes every piece into a
 * trie of Map nodes, about two thirds of the tokenizer's load time (1.3 of 2 s on two cores,
 * mostly allocation and garbage collection), only to ask it later which prefixes of a text are
 * pieces. A map of the pieces and their prefixes answers that in the same order and is built in
 * a third of the time. The trie is a class of the pinned library's internals: installPieceLookup
 * replaces it only when it has the shape this was written against. test/piece-lookup.test.ts
 * checks both give the same answers, and test/gate/tokenizer.test.ts the same token ids with the
 * real model's tokenizer.
 */

const INSTALLED = Symbol.for('news-quote-bot.piece-lookup');

/** The trie's interface, as the Unigram model uses it. */
interface PrefixSearch {
  extend(texts: Iterable<string>): void;
  push(text: string): void;
  commonPrefixSearch(text: string): Generator<string, void, unknown>;
}

export class PieceLookup implements PrefixSearch {
  /** Every piece (true) and every proper prefix of one (false). */
  private readonly prefixes = new Map<string, boolean>();

  extend(texts: Iterable<string>): void {
    for (const text of texts) this.push(text);
  }

  push(text: string): void {
    this.prefixes.set(text, true);
    // A prefix already known has its own prefixes known too.
    for (let length = text.length - 1; length > 0; length--) {
      const prefix = text.slice(0, length);
      if (this.prefixes.has(prefix)) break;
      this.prefixes.set(prefix, false);
    }
  }

  /**
   * The pieces that begin `text`, shortest first. As in the trie, which is keyed by code point
   * but walked by UTF-16 unit, nothing is found at or past a surrogate.
   */
  *commonPrefixSearch(text: string): Generator<string, void, unknown> {
    for (let length = 1; length <= text.length; length++) {
      const unit = text.charCodeAt(length - 1);
      if (unit >= 0xd800 && unit <= 0xdfff) return;
      const prefix = text.slice(0, length);
      const piece = this.prefixes.get(prefix);
      if (piece === undefined) return;
      if (piece) yield prefix;
    }
  }
}

interface TrieModule {
  CharTrie?: { prototype: Partial<PrefixSearch> };
}

/** A trie filled before the install has nodes under its root: it keeps its own methods. */
function filledBefore(trie: object): boolean {
  const children = (trie as { root?: { children?: { size?: unknown } } }).root?.children?.size;
  return typeof children === 'number' && children > 0;
}

/**
 * Makes transformers.js' CharTrie a PieceLookup for the tokenizers loaded from now on, when its
 * shape is the one this was written against; otherwise changes nothing. Returns whether it did.
 */
export function installPieceLookup(module: TrieModule): boolean {
  const proto = module.CharTrie?.prototype;
  if (!proto) return false;
  const { extend, push, commonPrefixSearch } = proto;
  if (typeof extend !== 'function' || typeof push !== 'function' || typeof commonPrefixSearch !== 'function') return false;
  if ((proto as { [INSTALLED]?: boolean })[INSTALLED]) return true;
  const lookups = new WeakMap<object, PieceLookup>();
  const lookupOf = (trie: object): PieceLookup => {
    let lookup = lookups.get(trie);
    if (!lookup) lookups.set(trie, (lookup = new PieceLookup()));
    return lookup;
  };
  Object.assign(proto, {
    [INSTALLED]: true,
    extend(this: object, texts: Iterable<string>) {
      if (filledBefore(this)) extend.call(this, texts);
      else lookupOf(this).extend(texts);
    },
    push(this: object, text: string) {
      if (filledBefore(this)) push.call(this, text);
      else lookupOf(this).push(text);
    },
    commonPrefixSearch(this: object, text: string) {
      const lookup = lookups.get(this);
      return lookup ? lookup.commonPrefixSearch(text) : commonPrefixSearch.call(this, text);
    },
  });
  return true;
}
