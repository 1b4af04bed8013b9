-- Every index is rewritten on every routing request and close. Start-up rebuilds chat loads from
-- the open range of conversations_by_inbox, one inbox at a time, so this one is not needed.
DROP INDEX conversations_open;
