-- The candidate lists decisions refer to (see DecisionCodec): a channel's list is the same request
-- after request, so it is stored once, named by the hash of its content, instead of in every
-- decision. Decisions stored before keep their candidates inline and read as before.
-- IF NOT EXISTS: H2 commits DDL at once, so a start-up stopped before the history row can retry.
CREATE TABLE IF NOT EXISTS rosters (
    id      VARCHAR(64) PRIMARY KEY,
    members VARCHAR     NOT NULL
);
