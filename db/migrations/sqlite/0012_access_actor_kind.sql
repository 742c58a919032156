-- The access log says whether its actor is a user, a token or casetrack
-- itself (the command line, the TCP listener). Entries written before
-- this are left as they were, with no kind: guessing it from today's
-- names would rewrite every row of a log that may be years long.
ALTER TABLE access_log ADD COLUMN actor_kind TEXT NOT NULL DEFAULT '';
