-- Agents' chat loads live in the database, changed in the transaction that assigns, reassigns or
-- closes a chat and locked by every routing decision that reads them, so any number of instances
-- route exactly as one would. Existing open chats are counted once here.
ALTER TABLE users ADD COLUMN open_chats INT DEFAULT 0 NOT NULL;
UPDATE users SET open_chats = (
    SELECT COUNT(*) FROM conversations c
    WHERE c.assignee_type = 'USER' AND c.assignee_id = users.id AND c.status = 'OPEN'
      AND c.channel_kind IN ('CHAT', 'BOT', 'MESSENGER'));
-- The embedded database no longer keeps a journal of its own (a legacy journal is replayed before migrating).
DROP TABLE journal_position;
