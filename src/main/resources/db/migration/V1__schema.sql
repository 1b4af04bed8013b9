-- One schema for both databases: H2 (in PostgreSQL mode) and PostgreSQL.
-- The directory (users, teams, inboxes, channels, settings) is small and read whole at start-up
-- into memory; lists that are only ever read with their owner are stored as JSON text.
-- Unbounded VARCHAR, not TEXT: H2 stores TEXT as a CLOB, which is several times slower to write.

CREATE TABLE users (
    id                    VARCHAR(64)  PRIMARY KEY,
    name                  VARCHAR(200) NOT NULL,
    email                 VARCHAR(320) NOT NULL,
    seat                  VARCHAR(16)  NOT NULL,
    available             BOOLEAN      NOT NULL,
    active                BOOLEAN      NOT NULL,
    -- R4 tie-break; open chats are counted from conversations at start-up
    last_chat_assigned_at TIMESTAMP WITH TIME ZONE
);

CREATE TABLE teams (
    id                VARCHAR(64)  PRIMARY KEY,
    name              VARCHAR(200) NOT NULL,
    primary_members   VARCHAR         NOT NULL,
    secondary_members VARCHAR         NOT NULL
);

CREATE TABLE inboxes (
    id    VARCHAR(64)  PRIMARY KEY,
    name  VARCHAR(200) NOT NULL,
    teams VARCHAR -- JSON array of team ids; NULL: every user has access
);

CREATE TABLE channels (
    id       VARCHAR(64)  PRIMARY KEY,
    inbox_id VARCHAR(64)  NOT NULL REFERENCES inboxes (id),
    kind     VARCHAR(16)  NOT NULL,
    name     VARCHAR(200) NOT NULL
);

CREATE TABLE routing_settings (
    channel_id VARCHAR(64) PRIMARY KEY REFERENCES channels (id),
    settings   VARCHAR        NOT NULL
);

CREATE TABLE contacts (
    id             VARCHAR(64)  PRIMARY KEY,
    email          VARCHAR(320),
    name           VARCHAR(200),
    owner_id       VARCHAR(64),
    cookie_tracked BOOLEAN      NOT NULL
);
CREATE UNIQUE INDEX contacts_by_email ON contacts (email);

CREATE TABLE tokens (
    token_hash VARCHAR(64) PRIMARY KEY, -- SHA-256 of the token; the token itself is never stored
    kind       VARCHAR(16) NOT NULL,    -- user | integration
    subject    VARCHAR(64) NOT NULL,    -- the user id, or the integration token's id
    name       VARCHAR(200),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX tokens_by_subject ON tokens (kind, subject);

CREATE TABLE conversations (
    id            VARCHAR(64) PRIMARY KEY,
    channel_id    VARCHAR(64) NOT NULL,
    channel_kind  VARCHAR(16) NOT NULL,
    inbox_id      VARCHAR(64) NOT NULL,
    contact_id    VARCHAR(64),
    status        VARCHAR(8)  NOT NULL,
    assignee_type VARCHAR(8),
    assignee_id   VARCHAR(64),
    decision_id   VARCHAR(64),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
-- Lists read one (inbox, status) or (assignee, status) range at a time, newest first, only as far
-- as a page needs, and merge them: a page costs the same however long the history grows.
CREATE INDEX conversations_by_inbox ON conversations (inbox_id, status, created_at DESC, id DESC);
CREATE INDEX conversations_by_assignee ON conversations (assignee_id, status, created_at DESC, id DESC);
-- Start-up rebuilds chat loads from the open conversations only, however long the history.
CREATE INDEX conversations_open ON conversations (status, channel_kind, assignee_type, assignee_id);

CREATE TABLE messages (
    id              VARCHAR(64) PRIMARY KEY,
    conversation_id VARCHAR(64) NOT NULL,
    seq             INT         NOT NULL,
    author_user_id  VARCHAR(64),
    text            VARCHAR        NOT NULL,
    subject         VARCHAR(500),
    at              TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX messages_by_conversation ON messages (conversation_id, seq);

CREATE TABLE assignment_changes (
    conversation_id VARCHAR(64) NOT NULL,
    seq             INT         NOT NULL,
    at              TIMESTAMP WITH TIME ZONE NOT NULL,
    from_type       VARCHAR(8),
    from_id         VARCHAR(64),
    to_type         VARCHAR(8),
    to_id           VARCHAR(64),
    by_user_id      VARCHAR(64),
    cause           VARCHAR(16) NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);

-- Decisions are read by id only (conversations.decision_id); no secondary index on the hot path.
CREATE TABLE decisions (
    id         VARCHAR(64) PRIMARY KEY,
    body       VARCHAR        NOT NULL
);

CREATE TABLE notifications (
    id              VARCHAR(64)  PRIMARY KEY,
    conversation_id VARCHAR(64)  NOT NULL,
    channel         VARCHAR(16)  NOT NULL,
    user_id         VARCHAR(64)  NOT NULL,
    address         VARCHAR(320),
    subject         VARCHAR(500),
    text            VARCHAR,
    queued_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at         TIMESTAMP WITH TIME ZONE
);

CREATE TABLE rule_activations (
    seq          BIGINT       PRIMARY KEY,
    version      VARCHAR(64)  NOT NULL,
    activated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    files        VARCHAR         NOT NULL,
    triggered_by VARCHAR(200) NOT NULL
);
