-- History for the growth benchmark: closed conversations, each with a message, an assignment and
-- a decision, spread over the seeded chat channels and users. Run with the service stopped.
SET @N = CAST('${N}' AS INT);
INSERT INTO conversations (id, channel_id, channel_kind, inbox_id, contact_id, status, assignee_type, assignee_id, decision_id, created_at)
SELECT 'hist-' || X, 'chat-i' || LPAD(CAST(MOD(X, 20) AS VARCHAR), 2, '0'), 'CHAT', 'i' || LPAD(CAST(MOD(X, 20) AS VARCHAR), 2, '0'),
       NULL, 'CLOSED', 'USER', 'u' || LPAD(CAST(MOD(X, 1000) AS VARCHAR), 5, '0'), 'hd-' || X,
       TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00' + CAST(X AS BIGINT) * INTERVAL '1' SECOND
FROM SYSTEM_RANGE(1, @N);
INSERT INTO messages (id, conversation_id, seq, author_user_id, text, subject, at)
SELECT 'hm-' || X, 'hist-' || X, 0, NULL, 'Where is my order? (' || X || ')', NULL,
       TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00' + CAST(X AS BIGINT) * INTERVAL '1' SECOND
FROM SYSTEM_RANGE(1, @N);
INSERT INTO assignment_changes (conversation_id, seq, at, from_type, from_id, to_type, to_id, by_user_id, cause)
SELECT 'hist-' || X, 0, TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00' + CAST(X AS BIGINT) * INTERVAL '1' SECOND,
       NULL, NULL, 'USER', 'u' || LPAD(CAST(MOD(X, 1000) AS VARCHAR), 5, '0'), NULL, 'ROUTING'
FROM SYSTEM_RANGE(1, @N);
INSERT INTO decisions (id, body)
SELECT 'hd-' || X, '{"id":"hd-' || X || '","ruleSetVersion":"history","strategy":"least_busy","candidates":[],"firedRules":[],"notes":[],"assignee":"u' || LPAD(CAST(MOD(X, 1000) AS VARCHAR), 5, '0') || '","notifications":[],"tookMicros":100,"decidedAt":"2025-01-01T00:00:00Z"}'
FROM SYSTEM_RANGE(1, @N);
