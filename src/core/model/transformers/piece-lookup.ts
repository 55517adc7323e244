/**
 * A faster stand-in for the character trie transformers.js 2.17 builds for a Unigram tokenizer.
 *
 * Loading a Unigram tokenizer (multilingual-e5's has 250,002 pieces) pushes every piece into a
 * trie of Map nodes, about two thirds of the tokenizer's load time (1.3 of 2 s on two cores,
 * mostly allocation and garbage collection), only to ask it later which prefixes of a text are
 * pieces. A set of the pieces answers that at once, trying each length up to the longest
 * piece's; a map of the pieces and their prefixes, which lets a search stop where no piece goes
 * on, is built in the background once the load is done (it costs about 0.5 s, which used to be
 * on every start's path to the first answer). The trie is a class of the pinned library's
 * internals: installPieceLookup replaces it only when it has the shape this was written against
 * (trieShapeProblems; fence.ts checks it at load and says so when the library's trie stays).
 * test/piece-lookup.test.ts checks both give the same answers, and test/gate/tokenizer.test.ts
 * the same token ids with the real model's tokenizer.
 */

const INSTALLED = Symbol.for('news-quote-bot.piece-lookup');

/** The trie's interface, as the Unigram model uses it. */
interface PrefixSearch {
  extend(texts: Iterable<string>): void;
  push(text: string): void;
  commonPrefixSearch(text: string): Generator<string, void, unknown>;
}

export class PieceLookup implements PrefixSearch {
  private readonly pieces = new Set<string>();
  private longest = 0;
  /**
   * Every piece (true) and every proper prefix of one (false): lets a search stop as soon as no
   * piece goes on. Two thirds of the lookup's cost to build, so it is built after the tokenizer
   * has loaded, a slice per turn of the event loop; until then a search tries every length up
   * to the longest piece's, with the same results.
   */
  private prefixes: Map<string, boolean> | null = null;
  private building: Map<string, boolean> | null = null;

  constructor(private readonly build: { slice: number; delayMs: number } = { slice: BUILD_SLICE, delayMs: BUILD_DELAY_MS }) {}

  extend(texts: Iterable<string>): void {
    for (const text of texts) this.push(text);
  }

  push(text: string): void {
    this.pieces.add(text);
    if (text.length > this.longest) this.longest = text.length;
    // While the map is being built, the build's walk over the pieces reaches this one too (a
    // Set's iterator visits what is added during the walk).
    if (this.prefixes) addWithPrefixes(this.prefixes, text);
    else this.scheduleBuild();
  }

  /** Builds the prefix map now (tests; the background build does the same in slices). */
  buildPrefixes(): void {
    const map = new Map<string, boolean>();
    for (const piece of this.pieces) addWithPrefixes(map, piece);
    this.prefixes = map;
    this.building = null;
  }

  get prefixesBuilt(): boolean {
    return this.prefixes !== null;
  }

  private scheduleBuild(): void {
    if (this.building) return;
    const map = (this.building = new Map<string, boolean>());
    const pieces = this.pieces.values();
    const slice = (): void => {
      if (this.building !== map) return;
      for (let i = 0; i < this.build.slice; i++) {
        const next = pieces.next();
        if (next.done) {
          this.prefixes = map;
          this.building = null;
          return;
        }
        addWithPrefixes(map, next.value);
      }
      setImmediate(slice);
    };
    // After the load that is filling the lookup now, which the build would otherwise delay.
    setTimeout(slice, this.build.delayMs).unref();
  }

  /**
   * The pieces that begin `text`, shortest first. As in the trie, which is keyed by code point
   * but walked by UTF-16 unit, nothing is found at or past a surrogate.
   */
  *commonPrefixSearch(text: string): Generator<string, void, unknown> {
    const prefixes = this.prefixes;
    const end = Math.min(text.length, this.longest);
    for (let length = 1; length <= end; length++) {
      const unit = text.charCodeAt(length - 1);
      if (unit >= 0xd800 && unit <= 0xdfff) return;
      const prefix = text.slice(0, length);
      if (prefixes) {
        const piece = prefixes.get(prefix);
        if (piece === undefined) return;
        if (piece) yield prefix;
      } else if (this.pieces.has(prefix)) {
        yield prefix;
      }
    }
  }
}

/** Pieces per slice of the background build: about 10 ms each, which a question may wait for. */
const BUILD_SLICE = 5_000;
const BUILD_DELAY_MS = 200;

function addWithPrefixes(map: Map<string, boolean>, piece: string): void {
  map.set(piece, true);
  // A prefix already known has its own prefixes known too.
  for (let length = piece.length - 1; length > 0; length--) {
    const prefix = piece.slice(0, length);
    if (map.has(prefix)) break;
    map.set(prefix, false);
  }
}

/**
 * Where transformers.js 2.17 keeps the character trie of its Unigram tokenizer: a file of the
 * library's, not an export of its entry point (its tokenizers.js imports CharTrie from it).
 */
export const TRIE_MODULE = '@xenova/transformers/src/utils/data-structures.js';

export interface TrieModule {
  CharTrie?: { prototype: Partial<PrefixSearch> };
}

/**
 * What installPieceLookup relies on in the trie module, as a list of what is not as expected
 * (empty when all is): a `CharTrie` class whose prototype has the three methods the Unigram
 * model calls, and whose instances keep their nodes in `root.children`, a Map (filledBefore).
 * `module` is undefined when the module itself could not be imported.
 */
export function trieShapeProblems(module: unknown): string[] {
  if (!isObject(module)) return [`${TRIE_MODULE} could not be imported`];
  const CharTrie = (module as { CharTrie?: unknown }).CharTrie;
  if (typeof CharTrie !== 'function') return [`${TRIE_MODULE} has no CharTrie class`];
  const proto = (CharTrie as { prototype?: unknown }).prototype;
  const methods = ['extend', 'push', 'commonPrefixSearch'].filter((name) => !isObject(proto) || typeof (proto as Record<string, unknown>)[name] !== 'function');
  if (methods.length > 0) return [`CharTrie has no ${methods.join(', ')} method`];
  let children: unknown;
  try {
    children = (new (CharTrie as new () => { root?: { children?: unknown } })()).root?.children;
  } catch (error) {
    return [`new CharTrie() throws (${error instanceof Error ? error.message : String(error)})`];
  }
  return children instanceof Map ? [] : ['CharTrie keeps no root.children Map'];
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
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
