-- History for the growth test on PostgreSQL: :N closed conversations, each with a message, an
-- assignment and a decision, spread over the seeded chat channels and users. desk.sh runs it
-- with psql -v N=... -v USERS=... -v INBOXES=..., with the service stopped.
BEGIN;
INSERT INTO conversations (id, channel_id, channel_kind, inbox_id, contact_id, status, assignee_type, assignee_id, decision_id, created_at)
SELECT 'hist-' || x, 'chat-i' || lpad((x % :INBOXES)::text, 2, '0'), 'CHAT', 'i' || lpad((x % :INBOXES)::text, 2, '0'),
       NULL, 'CLOSED', 'USER', 'u' || lpad((x % :USERS)::text, 5, '0'), 'hd-' || x,
       timestamptz '2025-01-01 00:00:00+00' + x * interval '1 second'
FROM generate_series(1, :N) x;
INSERT INTO messages (id, conversation_id, seq, author_user_id, text, subject, at)
SELECT 'hm-' || x, 'hist-' || x, 0, NULL, 'Where is my order? (' || x || ')', NULL,
       timestamptz '2025-01-01 00:00:00+00' + x * interval '1 second'
FROM generate_series(1, :N) x;
INSERT INTO assignment_changes (conversation_id, seq, at, from_type, from_id, to_type, to_id, by_user_id, cause)
SELECT 'hist-' || x, 0, timestamptz '2025-01-01 00:00:00+00' + x * interval '1 second',
       NULL, NULL, 'USER', 'u' || lpad((x % :USERS)::text, 5, '0'), NULL, 'ROUTING'
FROM generate_series(1, :N) x;
INSERT INTO decisions (id, body)
SELECT 'hd-' || x, '{"id":"hd-' || x || '","ruleSetVersion":"history","strategy":"least_busy","candidates":[],"firedRules":[],"notes":[],"assignee":"u' || lpad((x % :USERS)::text, 5, '0') || '","notifications":[],"tookMicros":100,"decidedAt":"2025-01-01T00:00:00Z"}'
FROM generate_series(1, :N) x;
COMMIT;
-- Settled statistics and visibility map, as autovacuum leaves a database that has grown slowly.
VACUUM ANALYZE;
