-- R11: the most open chat-kind conversations automatic routing gives a user; NULL means no limit.
ALTER TABLE users ADD COLUMN chat_capacity INT;

-- R10: conversations left unassigned on a channel whose automatic assignment is on, oldest first.
-- A table of its own rather than a column of conversations: only waiting conversations have a row,
-- so routing that assigns at once writes nothing here, and the queue is one short index range.
CREATE TABLE waiting_conversations (
    conversation_id VARCHAR(64) PRIMARY KEY,
    channel_id      VARCHAR(64) NOT NULL,
    since           TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX waiting_by_channel ON waiting_conversations (channel_id, since, conversation_id);

-- Every routing attempt of a conversation that waited (the first one included); conversations
-- routed once have only conversations.decision_id.
CREATE TABLE conversation_decisions (
    conversation_id VARCHAR(64) NOT NULL,
    decision_id     VARCHAR(64) NOT NULL,
    decided_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (conversation_id, decision_id)
);

-- One row per channel whose queue has been drained: a drain holds its row's lock, so one drain per
-- channel runs at a time across every instance.
CREATE TABLE queue_drains (
    channel_id VARCHAR(64) PRIMARY KEY
);
