/**
 * transformers.js' global settings (`env`) and its console warnings, handled for one load at a time.
 */
import path from 'node:path';

/** The slice of transformers.js' `env` set here. */
export interface LibraryEnv {
  allowLocalModels: boolean;
  allowRemoteModels: boolean;
  localModelPath: string;
  cacheDir: string | null;
  useFSCache: boolean;
  remoteHost: string;
}

/** Where a load's files are: a model folder (never a download), or a hub model under `modelsDir`. */
export type ModelPlace = { kind: 'folder'; dir: string } | { kind: 'hub'; modelsDir: string; offline: boolean };

let envLock: Promise<unknown> = Promise.resolve();

/**
 * transformers.js reads its settings from one global `env`, so loads take turns: a load for a
 * folder must not see the paths another load set for a hub model.
 */
export function withEnv<T>(env: LibraryEnv, place: ModelPlace, load: () => Promise<T>): Promise<T> {
  const turn = envLock.then(() => {
    env.allowLocalModels = true;
    if (place.kind === 'folder') {
      env.localModelPath = path.dirname(place.dir);
      env.allowRemoteModels = false;
      // Off, because the cache is keyed by "<name>/<file>" and would serve a same-named folder
      // from another directory.
      env.useFSCache = false;
    } else {
      // Downloads land in <modelsDir>/<org>/<name>/… (the file cache's key is "<id>/<file>"),
      // which is also where local lookups go: downloaded once, found there afterwards.
      env.localModelPath = place.modelsDir;
      env.cacheDir = place.modelsDir;
      env.useFSCache = true;
      env.allowRemoteModels = !place.offline;
    }
    return quietly(load);
  });
  envLock = turn.catch(() => undefined);
  return turn;
}

/** console.warn as it was before a load silenced it (so a line of ours is never swallowed). */
let silencedWarn: typeof console.warn | null = null;

/** transformers.js warns on the console on its way to failing; callers show our message instead. */
async function quietly<T>(load: () => Promise<T>): Promise<T> {
  const { warn } = console;
  silencedWarn = warn;
  console.warn = () => undefined;
  try {
    return await load();
  } finally {
    console.warn = warn;
    silencedWarn = null;
  }
}

/** Writes one line with console.warn, the real one even while a load has silenced it. */
export function warnLine(line: string): void {
  (silencedWarn ?? console.warn).call(console, line);
}
