-- Page sessions and failed sign-ins. They live in the database, not in an
-- instance's memory, so any instance serves any session and login
-- throttling counts across all of them.
CREATE TABLE sessions (
    hash       TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_seen  TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_last_seen ON sessions (last_seen);

CREATE TABLE login_failures (
    id      BIGSERIAL PRIMARY KEY,
    subject TEXT NOT NULL,
    at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_subject_at ON login_failures (subject, at);
