/**
 * Shared set-up of the PostgreSQL store's tests: one PGlite server per test file (started before
 * its tests, closed after), a clean schema per test, and seed folders written from strings.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { startTestDatabase, type TestDatabase } from './pglite-server.js';
import { makeTempDir } from './static-model.js';

export const quiet = { info: (): void => {}, warn: (): void => {} };

/** Starts a server for this test file; `fresh(name)` empties it and gives a URL naming the test. */
export function useTestDatabase(): { readonly server: TestDatabase; fresh(name: string): Promise<string> } {
  let server: TestDatabase | undefined;
  beforeAll(async () => {
    server = await startTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });
  return {
    get server(): TestDatabase {
      if (!server) throw new Error('the test database is not started yet');
      return server;
    },
    async fresh(name) {
      const url = this.server.url;
      // PGlite has one database per instance: each test starts from an empty public schema.
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      await admin.end();
      return `${url}?application_name=${name}`;
    },
  };
}

/** A seeds folder holding `files` (name → text). */
export async function seedsWith(files: Record<string, string>): Promise<string> {
  const seeds = path.join(await makeTempDir('pg-seeds-'), 'seeds');
  await mkdir(seeds);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(seeds, name), text);
  return seeds;
}
