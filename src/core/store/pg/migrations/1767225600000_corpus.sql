-- Up Migration
-- The corpus as the indexer wrote it: source files, their articles and passages, and vectors.
-- Needs pgvector (CREATE EXTENSION vector; managed services: enable "vector" first if the
-- role may not create extensions). Vectors are stored without a fixed dimension: the HNSW index,
-- which needs one, is created by the indexer for the model's dimension (passages_hnsw_<dim>).
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE corpus_state (
  id smallint PRIMARY KEY CHECK (id = 1),
  version bigint NOT NULL,
  built_at timestamptz,
  model_id text,
  dimension integer,
  prefix_scheme text
);
INSERT INTO corpus_state (id, version) VALUES (1, 0);

CREATE TABLE files (
  file text PRIMARY KEY,
  size bigint NOT NULL,
  mtime_ms double precision NOT NULL,
  sha1 text NOT NULL,
  languages text[] NOT NULL,
  version bigint NOT NULL
);

CREATE TABLE articles (
  id text PRIMARY KEY,
  file text NOT NULL REFERENCES files (file) ON DELETE CASCADE,
  ord integer NOT NULL,
  kind text NOT NULL,
  title text NOT NULL,
  date text,
  date_text text,
  link text,
  paragraphs jsonb NOT NULL
);

CREATE TABLE passages (
  id text PRIMARY KEY,
  key text NOT NULL,
  article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  file text NOT NULL,
  ord integer NOT NULL,
  position integer NOT NULL,
  paragraph integer NOT NULL,
  title text NOT NULL,
  link text,
  sentences text[] NOT NULL,
  text text NOT NULL,
  date text,
  date_text text,
  embedding vector
);
CREATE INDEX passages_file ON passages (file);

-- Sentence vectors by a hash of their text (as in the file store): shared by passages.
CREATE TABLE sentence_vectors (
  hash text PRIMARY KEY,
  embedding vector NOT NULL
);

-- Down Migration
DROP TABLE sentence_vectors;
DROP TABLE passages;
DROP TABLE articles;
DROP TABLE files;
DROP TABLE corpus_state;
