-- A single scan on PostgreSQL is written by one statement that checks, as
-- it writes, that its scan id is new and that the volume is still where
-- the scan found it. When either is no longer true the statement calls
-- this, which aborts it (so nothing of it is kept) with a code of our own
-- that the service answers by taking the scan again under row locks.
CREATE FUNCTION casetrack_scan_conflict() RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	RAISE EXCEPTION 'scan conflicts with a concurrent write' USING ERRCODE = 'CT409';
END
$$;
