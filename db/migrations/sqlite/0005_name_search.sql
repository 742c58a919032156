-- Names folded for search (lower case, accents removed) by casetrack
-- itself, so that "zoe" finds Zoë on PostgreSQL and SQLite alike: SQLite's
-- lower() knows only ASCII. Rows stored before this get lower() here.
ALTER TABLE patients ADD COLUMN family_fold TEXT NOT NULL DEFAULT '';
ALTER TABLE patients ADD COLUMN given_fold TEXT NOT NULL DEFAULT '';
UPDATE patients SET family_fold = lower(family_name), given_fold = lower(given_name);
DROP INDEX patients_same_name;
CREATE INDEX patients_same_name ON patients (family_fold, given_fold);
