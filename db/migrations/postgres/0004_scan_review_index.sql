-- Only scans someone must review are looked up by result; indexing every
-- scan's result made each insert pay for a lookup that never happens.
DROP INDEX scans_result;
CREATE INDEX scans_for_review ON scans (result, id) WHERE result IN ('unknown_barcode', 'rejected', 'error', 'ambiguous');
