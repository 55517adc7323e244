/**
 * The corpus cannot be read right now (its database is out of reach): the question was fine,
 * the bot should say "temporarily unavailable" rather than "something went wrong".
 */
export class CorpusUnavailableError extends Error {
  override name = 'CorpusUnavailableError';
}
