-- User and token names are one namespace, compared ignoring case: a token
-- cannot take a user's name nor a user a token's, so a name in the access
-- log, on the admin page or as a device means one account. A unique
-- index cannot span two tables, so every name also holds a row here,
-- written in the transaction that makes the user or token.
--
-- Names made before the rule keep working. Where two already clash
-- (users "Jo" and "jo", or a user and a token of one name), the first
-- made (users before tokens) holds the key; the other keeps its name and
-- signs in or authenticates as before, and no new name may take the key.
CREATE TABLE account_names (
    name_key TEXT PRIMARY KEY,
    kind     TEXT NOT NULL,
    name     TEXT NOT NULL
);
INSERT INTO account_names (name_key, kind, name)
SELECT lower(name), 'user', name FROM users WHERE true ORDER BY id
ON CONFLICT (name_key) DO NOTHING;
INSERT INTO account_names (name_key, kind, name)
SELECT lower(name), 'token', name FROM tokens WHERE true ORDER BY id
ON CONFLICT (name_key) DO NOTHING;
