-- Account-wide settings: one row. time_zone is the IANA zone the rules' Clock fact shows (R12).
-- A change bumps the 'directory' counter, so every instance reloads it with the directory.
CREATE TABLE account (
    id        INT         PRIMARY KEY CHECK (id = 1),
    time_zone VARCHAR(64) NOT NULL
);
INSERT INTO account (id, time_zone) VALUES (1, 'UTC');
