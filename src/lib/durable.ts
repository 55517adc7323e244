/**
 * fsync helpers: a rename or a new file survives a power cut only once the file's data and
 * then its directory entry have reached the disk.
 */
import { open } from 'node:fs/promises';

export async function fsyncFile(file: string): Promise<void> {
  const fh = await open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes renames durable. Some platforms (Windows) cannot fsync a directory; nothing to do there. */
export async function fsyncDir(dir: string): Promise<void> {
  await fsyncFile(dir).catch(() => undefined);
}

