-- A location may keep notes longer (or shorter) than its kind's loan
-- period: a ward for long stays. NULL keeps the kind's period; 0 means
-- notes there are never overdue.
ALTER TABLE locations ADD COLUMN loan_period_seconds BIGINT;

-- Overdue notes are found per location by arrival time: the index on where
-- a volume is gains when it arrived there. It replaces the old one, so a
-- scan writes no more index entries than before, and a scan that finds a
-- folder already where it is (which keeps its arrival time) may still
-- rewrite the row in place.
DROP INDEX volumes_current_location;
CREATE INDEX volumes_current_location ON volumes (current_location_id, current_since);
