import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './seeds.js';


export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Development tools' CLIs live in tools/cli and run through tsx, as npm runs them; users' in src/cli, compiled (src/launch.mjs). */
const DEV_TOOLS = new Set(['eval', 'bench', 'load', 'parity']);
const cliArgs = (name: string): string[] => (DEV_TOOLS.has(name) ? ['--import', 'tsx', path.join(ROOT, 'tools/cli', `${name}.ts`)] : userEntry(`src/cli/${name}.ts`));

/** Node's arguments to run one of the users' entry points (`src/main.ts`, `src/cli/*.ts`) as npm's scripts do. */
export function userEntry(entry: string): string[] {
  return [path.join(ROOT, 'src/launch.mjs'), path.join(ROOT, entry)];
}

/** Runs one of the project's CLIs to completion. */
export function runCli(name: string, args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [...cliArgs(name), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts a CLI in its own process group. */
export function startCli(name: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [...cliArgs(name), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
