import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile, hashFile, sha256 } from '../src/core/store/files/checked-file.js';
import { makeTempDir } from './helpers/static-model.js';

describe('hashFile', () => {
  it('gives the size and SHA-256 of the whole file, across chunk boundaries', async () => {
    const dir = await makeTempDir();
    // Empty, one byte, and a file ending three bytes into its third 4 MiB chunk.
    for (const size of [0, 1, (8 << 20) + 3]) {
      const bytes = randomBytes(size);
      const file = path.join(dir, `f${size}`);
      writeFileSync(file, bytes);
      expect(await hashFile(file)).toEqual({ bytes: size, sha256: sha256(bytes) });
    }
  });
});

describe('checkFile', () => {
  it('says whether a file is missing, truncated, longer, changed or as its manifest says', async () => {
    const dir = await makeTempDir();
    const bytes = randomBytes(5000);
    writeFileSync(path.join(dir, 'g.hnsw'), bytes);
    const ref = { name: 'g.hnsw', bytes: bytes.length, sha256: sha256(bytes) };
    expect(await checkFile(dir, ref, 'manifest.json')).toBeNull();
    expect(await checkFile(dir, { ...ref, name: 'gone.hnsw' }, 'manifest.json')).toBe('missing: gone.hnsw (named by manifest.json)');
    expect(await checkFile(dir, { ...ref, bytes: 6000 }, 'manifest.json')).toMatch(/^truncated: g\.hnsw has 5000 bytes/);
    expect(await checkFile(dir, { ...ref, bytes: 4000 }, 'manifest.json')).toMatch(/^manifest does not match g\.hnsw/);
    bytes[4321] = bytes[4321]! ^ 1;
    writeFileSync(path.join(dir, 'g.hnsw'), bytes);
    expect(await checkFile(dir, ref, 'manifest.json')).toBe('corrupt: g.hnsw does not match its checksum in manifest.json');
  });
});
