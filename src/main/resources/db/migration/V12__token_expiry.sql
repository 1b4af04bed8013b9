-- Integration and analyst tokens may be given an end: past it they answer 401 "expired".
-- NULL means the token works until it is revoked (user tokens always, and older tokens).
ALTER TABLE tokens ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
