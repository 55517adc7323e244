-- Up Migration
-- What people said of answers (👍 / 👎 and why): never anyone's name or id; the server the
-- answer was given in, the question, its quotes, the mode and the model.
CREATE TABLE feedback (
  id text PRIMARY KEY,
  at timestamptz NOT NULL,
  server text,
  vote text NOT NULL CHECK (vote IN ('up', 'down')),
  reason text,
  question text NOT NULL,
  understood text,
  match text NOT NULL,
  quotes jsonb NOT NULL,
  mode text NOT NULL,
  model text
);
CREATE INDEX feedback_server ON feedback (server, at);

-- Down Migration
DROP TABLE feedback;
