-- The patient search finds a part of a family name, given name or hospital
-- number anywhere in it ("mit" finds Smith). A B-tree cannot serve
-- "LIKE '%mit%'", so every search read the whole table; pg_trgm's GIN
-- index of three-letter pieces can. Whole-name searches ("Smith, D",
-- "Dafydd Smith") are an equal family name and a given name's prefix,
-- which patients_same_name (family_fold, given_fold) already serves.
--
-- pg_trgm ships with PostgreSQL and is a trusted extension: a role that
-- may create objects in the database may create it, or an administrator
-- creates it beforehand. It goes in the public schema when there is one,
-- so that one database can hold several casetrack schemas, and the index
-- names its operator class by the schema the extension is in.
DO $$
DECLARE home text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') THEN
            CREATE EXTENSION pg_trgm SCHEMA public;
        ELSE
            CREATE EXTENSION pg_trgm;
        END IF;
    END IF;
    SELECT n.nspname INTO home FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        WHERE e.extname = 'pg_trgm';
    EXECUTE format('CREATE INDEX patients_name_part ON patients USING gin (family_fold %1$I.gin_trgm_ops, '
        'given_fold %1$I.gin_trgm_ops, lower(hospital_number) %1$I.gin_trgm_ops)', home);
END
$$;
-- Searches use the folded names now; this index of lower(family_name) served none.
DROP INDEX patients_family_name;
