-- Rule sets are shared through the database, so every instance runs the same version. A version
-- that passes the gate on one instance is published: its files are stored once, keyed by the
-- version (the hash of their content), and the active pointer moves to it; every instance follows
-- the pointer. IF NOT EXISTS: H2 commits DDL at once, so a start-up stopped before the history row can retry.
CREATE TABLE IF NOT EXISTS rule_set_files (
    version VARCHAR(64)  NOT NULL,
    name    VARCHAR(200) NOT NULL,
    content BYTEA        NOT NULL, -- bytes: a decision table may be a spreadsheet
    PRIMARY KEY (version, name)
);

-- The version in force (null until the first publish) and seq, the rule_activations row of the
-- change that made it so. seq moves with every publish: publishing is a compare and set on it.
CREATE TABLE IF NOT EXISTS rule_set_active (
    id      INT         PRIMARY KEY CHECK (id = 1),
    version VARCHAR(64),
    seq     BIGINT      NOT NULL
);
INSERT INTO rule_set_active (id, version, seq)
    SELECT 1, NULL, COALESCE(MAX(seq), 0) FROM rule_activations
    WHERE NOT EXISTS (SELECT 1 FROM rule_set_active);

-- Where each instance's rules folder was last in step with the active pointer (it matched the
-- active version, or published it): a changed folder is published only if the pointer has not
-- moved since, so an old folder never undoes a newer version.
CREATE TABLE IF NOT EXISTS rule_folders (
    folder     VARCHAR(1000) PRIMARY KEY, -- host name and the folder's absolute path
    version    VARCHAR(64)   NOT NULL,
    seq        BIGINT        NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- "Has the database seen this version?" decides what a start-up does with its folder.
CREATE INDEX IF NOT EXISTS rule_activations_by_version ON rule_activations (version);
