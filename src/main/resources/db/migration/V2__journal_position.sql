-- The last group-commit batch of the embedded database's journal that this database holds,
-- updated in each batch's own transaction; batches after it are replayed after a crash.
-- (PostgreSQL needs no journal: the row stays at 0.)
CREATE TABLE journal_position (
    id  INT    PRIMARY KEY,
    seq BIGINT NOT NULL
);
INSERT INTO journal_position (id, seq) VALUES (1, 0);
