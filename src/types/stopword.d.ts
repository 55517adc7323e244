declare module 'stopword' {
  /** Snowball's French stop word list. */
  export const fra: string[];
  /** English stop words. */
  export const eng: string[];
}
