/**
 * `npm run library -- list` and `npm run library -- delete <server id>`: the Discord servers'
 * own libraries in LIBRARIES_DIR, and deleting one at once with everything derived from it
 * (its articles, text index and vectors). A running bot keeps answering from what it has loaded
 * until it restarts.
 */
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { fail, messageOf } from './fail.js';

const USAGE = `Usage: npm run library -- list
       npm run library -- delete <server id>   (its articles, text and vectors, at once)`;

async function main(): Promise<void> {
  const [command, id, ...rest] = process.argv.slice(2);
  if (command === '--help' || command === '-h') return void process.stdout.write(`${USAGE}\n`);
  const { LIBRARIES_DIR: dir } = loadConfig();
  if (command === 'list' && id === undefined) {
    const ids = existsSync(dir) ? (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && /^\d{17,20}$/u.test(e.name)).map((e) => e.name) : [];
    if (ids.length === 0) return void process.stdout.write(`no server libraries in ${dir}\n`);
    for (const server of ids.sort()) {
      const articles = await readdir(path.join(dir, server, 'articles')).catch(() => []);
      process.stdout.write(`${server}  ${articles.filter((f) => /\.(?:txt|md)$/u.test(f)).length} article files\n`);
    }
    return;
  }
  if (command === 'delete' && id !== undefined && rest.length === 0) {
    if (!/^\d{17,20}$/u.test(id)) fail('the server id must be 17 to 20 digits', 2);
    const folder = path.join(dir, id);
    if (!existsSync(folder)) fail(`no library for server ${id} in ${dir}`);
    await rm(folder, { recursive: true, force: true });
    return void process.stdout.write(`deleted the library of server ${id} (articles, text index, vectors)\n`);
  }
  fail(`unknown command\n${USAGE}`, 2);
}

main().catch((error: unknown) => fail(messageOf(error)));
