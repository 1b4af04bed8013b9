-- Each instance keeps the event types some webhook subscribes to, so a routing transaction sends
-- no statement for an event nobody asked for; registering or deleting a webhook bumps this counter.
INSERT INTO change_counters (topic, version) VALUES ('webhooks', 0);
