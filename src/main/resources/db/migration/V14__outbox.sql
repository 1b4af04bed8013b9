-- The outbox: mail (R7) and webhook deliveries are rows written in the transaction that causes them
-- and sent afterwards by a sender thread on each instance, which claims due rows with
-- FOR UPDATE SKIP LOCKED. status is 'pending' until delivered ('sent') or given up ('failed');
-- next_attempt_at is when a pending row is next due (a claim pushes it out by a lease, so a row
-- whose sender died is sent again).
ALTER TABLE notifications ADD COLUMN status VARCHAR(16) DEFAULT 'pending' NOT NULL;
ALTER TABLE notifications ADD COLUMN attempts INT DEFAULT 0 NOT NULL;
ALTER TABLE notifications ADD COLUMN next_attempt_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE notifications ADD COLUMN last_error VARCHAR(1000);
UPDATE notifications SET next_attempt_at = queued_at;
UPDATE notifications SET status = 'sent' WHERE sent_at IS NOT NULL;
CREATE INDEX notifications_due ON notifications (status, next_attempt_at);

CREATE TABLE webhooks (
    id         VARCHAR(64)   PRIMARY KEY,
    url        VARCHAR(2000) NOT NULL,
    secret     VARCHAR(200)  NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The events each webhook receives: a routing transaction finds the subscribers of an event here.
CREATE TABLE webhook_events (
    webhook_id VARCHAR(64) NOT NULL,
    event      VARCHAR(64) NOT NULL,
    PRIMARY KEY (event, webhook_id)
);

CREATE TABLE webhook_deliveries (
    id              VARCHAR(140) PRIMARY KEY,
    webhook_id      VARCHAR(64)  NOT NULL,
    event           VARCHAR(64)  NOT NULL,
    conversation_id VARCHAR(64)  NOT NULL,
    body            VARCHAR      NOT NULL,
    status          VARCHAR(16)  DEFAULT 'pending' NOT NULL,
    attempts        INT          DEFAULT 0 NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(1000),
    queued_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at         TIMESTAMP WITH TIME ZONE
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
