-- Messages are only ever read by conversation, in order: (conversation_id, seq) is their primary
-- key, and their id, unique by construction, needs no index of its own. One B-tree fewer written
-- (and marked committed) on every routing request.
CREATE TABLE messages_by_conversation_seq (
    id              VARCHAR(64) NOT NULL,
    conversation_id VARCHAR(64) NOT NULL,
    seq             INT         NOT NULL,
    author_user_id  VARCHAR(64),
    text            VARCHAR        NOT NULL,
    subject         VARCHAR(500),
    at              TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
INSERT INTO messages_by_conversation_seq (id, conversation_id, seq, author_user_id, text, subject, at)
    SELECT id, conversation_id, seq, author_user_id, text, subject, at FROM messages;
DROP TABLE messages;
ALTER TABLE messages_by_conversation_seq RENAME TO messages;
