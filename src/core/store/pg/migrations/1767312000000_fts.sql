-- Up Migration
-- Postgres full-text search over passages, the alternative to the in-process BM25
-- (PG_LEXICAL=postgres). Needs the unaccent extension (contrib; on managed services enable
-- "unaccent" first if the role may not create extensions). The configuration folds accents
-- before the French Snowball stemmer, so "ministère", "ministere" and "ministères" meet.
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
ALTER TEXT SEARCH CONFIGURATION french_unaccent
  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;

-- The passage's text weighs A, its title (shared by every passage of the article) C: the
-- ranking weighs C at 0.3 of A, as the BM25 boosts the title field.
ALTER TABLE passages ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('french_unaccent'::regconfig, text), 'A') || setweight(to_tsvector('french_unaccent'::regconfig, title), 'C')
) STORED;
CREATE INDEX passages_tsv ON passages USING gin (tsv);

-- Down Migration
DROP INDEX passages_tsv;
ALTER TABLE passages DROP COLUMN tsv;
DROP TEXT SEARCH CONFIGURATION french_unaccent;
