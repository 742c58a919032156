-- See the PostgreSQL migration of the same number: SQLite takes no row locks for foreign keys, so it keeps them.
SELECT 1;
