-- Failed sign-ins are counted per user name and address together, and
-- per address (one row per attempt, counted before its password is
-- checked), so that someone guessing at an account from one place
-- cannot lock its owner out from another. The failures counted per name
-- and per address apart before this are dropped: at worst an address
-- guessing right now gets a fresh allowance once.
DROP TABLE login_failures;
CREATE TABLE sign_in_failures (
    id       INTEGER PRIMARY KEY,
    name_key TEXT NOT NULL,
    addr     TEXT NOT NULL,
    at       DATETIME NOT NULL
);
CREATE INDEX sign_in_failures_addr ON sign_in_failures (addr, at);
CREATE INDEX sign_in_failures_name ON sign_in_failures (name_key, addr, at);
