/** How a model wants its inputs marked (E5 needs `query: ` / `passage: `). */
export interface PrefixScheme {
  name: string;
  query: string;
  passage: string;
}

/** Turns texts into unit-length vectors, so inner product is cosine similarity. */
export interface Embedder {
  /** What was asked for (hub id or folder), as recorded in the index manifest. */
  readonly modelId: string;
  /** How the model names itself to users (/about, `ask --json`). */
  readonly name: string;
  readonly dimension: number;
  readonly prefix: PrefixScheme;
  embedQueries(texts: string[]): Promise<number[][]>;
  embedPassages(texts: string[], onProgress?: (done: number, total: number) => void): Promise<number[][]>;
  /** Frees what the model holds (its thread, when it has one). */
  close?(): Promise<void>;
}
