-- History for the growth test on the embedded database: ${N} closed conversations, each with a
-- message, an assignment and a decision, spread over the seeded chat channels and users. desk.sh
-- fills in N, USERS and INBOXES and runs it with the service stopped.
-- SYSTEM_RANGE's column is "X" in capitals; the database folds unquoted names to lower case.
SET @N = CAST('${N}' AS INT);
INSERT INTO conversations (id, channel_id, channel_kind, inbox_id, contact_id, status, assignee_type, assignee_id, decision_id, created_at)
SELECT 'hist-' || r."X", 'chat-i' || LPAD(CAST(MOD(r."X", ${INBOXES}) AS VARCHAR), 2, '0'), 'CHAT', 'i' || LPAD(CAST(MOD(r."X", ${INBOXES}) AS VARCHAR), 2, '0'),
       NULL, 'CLOSED', 'USER', 'u' || LPAD(CAST(MOD(r."X", ${USERS}) AS VARCHAR), 5, '0'), 'hd-' || r."X",
       TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00' + CAST(r."X" AS BIGINT) * INTERVAL '1' SECOND
FROM SYSTEM_RANGE(1, @N) r;
INSERT INTO messages (id, conversation_id, seq, author_user_id, text, subject, at)
SELECT 'hm-' || r."X", 'hist-' || r."X", 0, NULL, 'Where is my order? (' || r."X" || ')', NULL,
       TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00' + CAST(r."X" AS BIGINT) * INTERVAL '1' SECOND
FROM SYSTEM_RANGE(1, @N) r;
INSERT INTO assignment_changes (conversation_id, seq, at, from_type, from_id, to_type, to_id, by_user_id, cause)
SELECT 'hist-' || r."X", 0, TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00' + CAST(r."X" AS BIGINT) * INTERVAL '1' SECOND,
       NULL, NULL, 'USER', 'u' || LPAD(CAST(MOD(r."X", ${USERS}) AS VARCHAR), 5, '0'), NULL, 'ROUTING'
FROM SYSTEM_RANGE(1, @N) r;
INSERT INTO decisions (id, body)
SELECT 'hd-' || r."X", '{"id":"hd-' || r."X" || '","ruleSetVersion":"history","strategy":"least_busy","candidates":[],"firedRules":[],"notes":[],"assignee":"u' || LPAD(CAST(MOD(r."X", ${USERS}) AS VARCHAR), 5, '0') || '","notifications":[],"tookMicros":100,"decidedAt":"2025-01-01T00:00:00Z"}'
FROM SYSTEM_RANGE(1, @N) r;
-- Compact before the service opens the file, so that the test measures a settled file, as a
-- service's file is once it has been opened a few times: the bulk load alone leaves a file ten
-- times the size, which H2 compacts in the background during the next starts.
SHUTDOWN COMPACT;
