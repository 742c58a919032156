-- A records manager marks a scan kept for review as checked once they have
-- dealt with it: who and when stay on the scan, and the review list
-- leaves it out unless asked, reading from an index that a checked scan
-- leaves, so scans dealt with long ago never slow it down.
ALTER TABLE scans ADD COLUMN checked_by TEXT;
ALTER TABLE scans ADD COLUMN checked_at TIMESTAMPTZ;
CREATE INDEX scans_to_review ON scans (result, id)
    WHERE result IN ('unknown_barcode', 'rejected', 'error', 'ambiguous') AND checked_at IS NULL;
-- The review list says where a device was booking to when it scanned: the
-- location of its last location scan before. Location scans are few
-- (one for each place a porter arrives at), so indexing only them costs
-- other scans nothing.
CREATE INDEX scans_location_set ON scans (device, id) WHERE result = 'location_set';
