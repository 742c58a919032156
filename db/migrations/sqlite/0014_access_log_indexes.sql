-- The access log is read by patient, by actor and by time, newest first
-- (GET /api/v1/access-log, the /audit page). It grows with every read of
-- a record for years, so each way of reading it has an index; the one by
-- patient exists already.
CREATE INDEX access_log_actor ON access_log (actor, at);
CREATE INDEX access_log_at ON access_log (at);
