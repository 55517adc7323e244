import { createHash } from 'node:crypto';

/** Bytes of a text's key: 128 bits of SHA-256, as the vector segments store it. */
export const TEXT_HASH_BYTES = 16;

/** The key of a text's vector in either store: identical text is embedded once. */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, TEXT_HASH_BYTES * 2);
}
