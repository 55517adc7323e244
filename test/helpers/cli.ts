import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './seeds.js';


export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the project's CLIs (`src/cli/<name>.ts`) to completion. */
/** Development tools' CLIs live in tools/cli, users' in src/cli. */
const DEV_TOOLS = new Set(['eval', 'bench', 'load', 'parity']);
const cliPath = (name: string): string => path.join(ROOT, DEV_TOOLS.has(name) ? 'tools/cli' : 'src/cli', `${name}.ts`);

export function runCli(name: string, args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cliPath(name), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts a CLI in its own process group. */
export function startCli(name: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', cliPath(name), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
