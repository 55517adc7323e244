-- Up Migration
-- The dates each file's passages state (sorted, each once), found at ingest as in the file
-- store: "nothing in the articles is from that period" reads them instead of every passage's
-- text. NULL for a file written before this migration, until its next write.
ALTER TABLE files ADD COLUMN stated text[];

-- Down Migration
ALTER TABLE files DROP COLUMN stated;
