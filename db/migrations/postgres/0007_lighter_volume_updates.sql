-- Every scan that moves a folder rewrites its volume row, and each index
-- on volumes costs an entry per rewrite. Legacy barcodes are rare, so their
-- unique index holds only the volumes that have one; the created_at index
-- served only "labels for new registrations", which reads recent rows and
-- can do without it. Free space in each page lets a rewrite that keeps the
-- indexed columns (a folder scanned again where it is) stay on its page.
DROP INDEX volumes_created_at;
ALTER TABLE volumes DROP CONSTRAINT volumes_legacy_barcode_key;
CREATE UNIQUE INDEX volumes_legacy_barcode ON volumes (legacy_barcode) WHERE legacy_barcode IS NOT NULL;
ALTER TABLE volumes SET (fillfactor = 80);
