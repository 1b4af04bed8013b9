-- The admin token's hash, kept in the database so every instance accepts the same admin token.
-- One row at most; ROUTER_ADMIN_TOKEN replaces it at start, and a change bumps the 'tokens' counter.
CREATE TABLE admin_token (
    id         INT         PRIMARY KEY CHECK (id = 1),
    token_hash VARCHAR(64) NOT NULL -- SHA-256 of the token, hex; the token itself is never stored
);
