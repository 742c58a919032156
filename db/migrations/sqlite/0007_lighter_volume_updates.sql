-- See the PostgreSQL migration of the same number. SQLite keeps the unique
-- constraint on legacy_barcode (it cannot drop a column constraint); only
-- the created_at index goes.
DROP INDEX volumes_created_at;
