import type { Config } from '../config.js';
import { modelOnDisk } from '../core/model/index.js';
import { FileCorpusStore } from '../core/store/files/index.js';
import type { CorpusStore, ReindexResult, StoreContext } from '../core/store/index.js';
import type { EngineOptions } from './types.js';

/**
 * The corpus store the configuration names, opened: with DATABASE_URL, PostgreSQL (core/store/pg/,
 * imported only then); else EMBEDDINGS_DIR, whose vector files are read and checked while the
 * model and the text load.
 */
export async function openStore(config: Config, options: EngineOptions, context: StoreContext): Promise<{ store: CorpusStore; opened: ReindexResult }> {
  if (config.DATABASE_URL) {
    const { PgCorpus } = await import('../core/store/pg/index.js');
    const pg = new PgCorpus(
      {
        url: config.DATABASE_URL,
        seedsDir: config.SEEDS_DIR,
        lexical: config.PG_LEXICAL,
        ...(options.updateOnStart !== undefined ? { updateOnStart: options.updateOnStart } : {}),
        ...(options.waitForDatabase !== undefined ? { waitForDatabase: options.waitForDatabase } : {}),
        ...(options.giveUpOnDatabaseAfterMs !== undefined ? { giveUpAfterMs: options.giveUpOnDatabaseAfterMs } : {}),
        ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
      },
      context,
    );
    return { store: pg, opened: await pg.open() };
  }
  const prepareVectors = options.embedder !== undefined || modelOnDisk(config.EMBEDDING_MODEL, config.MODELS_DIR);
  const store = new FileCorpusStore({ embeddingsDir: config.EMBEDDINGS_DIR, seedsDir: config.SEEDS_DIR, prepareVectors }, context);
  return { store, opened: await store.update() };
}
