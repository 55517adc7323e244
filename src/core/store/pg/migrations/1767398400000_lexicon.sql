-- Up Migration
-- What PG_LEXICAL=postgres needs to weigh a question's words without an in-process index
-- (lexicon.ts): each passage's distinct words (as the bot's own `words()` splits text and title),
-- and the corpus vocabulary, each word with its count over passage texts and titles (which
-- decides glued-word splits) and its stem. Both are written by the indexer in the transaction
-- that writes the passages; `corpus_state.lexicon` says they cover every passage (a database
-- written before this migration is filled in by the next update).
ALTER TABLE passages ADD COLUMN words text[];
CREATE INDEX passages_words ON passages USING gin (words);

CREATE TABLE lexicon (
  word text PRIMARY KEY,
  n integer NOT NULL,
  stem text NOT NULL
);
CREATE INDEX lexicon_stem ON lexicon (stem);
CREATE INDEX lexicon_prefix ON lexicon ((word COLLATE "C"));
CREATE INDEX lexicon_suffix ON lexicon ((reverse(word) COLLATE "C"));

ALTER TABLE corpus_state ADD COLUMN lexicon boolean NOT NULL DEFAULT false;
UPDATE corpus_state SET lexicon = NOT EXISTS (SELECT 1 FROM passages);

-- Down Migration
ALTER TABLE corpus_state DROP COLUMN lexicon;
DROP TABLE lexicon;
DROP INDEX passages_words;
ALTER TABLE passages DROP COLUMN words;
