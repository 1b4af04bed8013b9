-- What each instance caches (the directory, tokens, the active rule set) is kept in step through
-- these counters: a change bumps its topic's counter in the transaction that makes it, and every
-- instance polls them (store/Changes) and reloads what moved.
CREATE TABLE change_counters (
    topic   VARCHAR(32) PRIMARY KEY,
    version BIGINT      NOT NULL
);
INSERT INTO change_counters (topic, version) VALUES ('directory', 0), ('tokens', 0), ('rules', 0);
