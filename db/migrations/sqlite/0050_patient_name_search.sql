-- The patient search finds a part of a family name, given name or hospital
-- number anywhere in it ("mit" finds Smith). A B-tree cannot serve
-- "LIKE '%mit%'", so every search read the whole table; an FTS5 index of
-- three-letter pieces (the trigram tokenizer) can, for parts of three
-- letters or more. It holds the folded names and the hospital number in
-- lower case, as the search compares them, and only row ids: triggers keep
-- it in step with patients, whoever writes them. Whole-name searches
-- ("Smith, D", "Dafydd Smith") are an equal family name and a given
-- name's prefix, which patients_same_name (family_fold, given_fold) serves.
CREATE VIRTUAL TABLE patient_search USING fts5(family, given, hospital_number,
    content = '', contentless_delete = 1, tokenize = 'trigram');
INSERT INTO patient_search (rowid, family, given, hospital_number)
    SELECT id, family_fold, given_fold, lower(hospital_number) FROM patients;
CREATE TRIGGER patients_search_insert AFTER INSERT ON patients BEGIN
    INSERT INTO patient_search (rowid, family, given, hospital_number)
        VALUES (new.id, new.family_fold, new.given_fold, lower(new.hospital_number));
END;
CREATE TRIGGER patients_search_update AFTER UPDATE OF family_fold, given_fold, hospital_number ON patients BEGIN
    DELETE FROM patient_search WHERE rowid = old.id;
    INSERT INTO patient_search (rowid, family, given, hospital_number)
        VALUES (new.id, new.family_fold, new.given_fold, lower(new.hospital_number));
END;
CREATE TRIGGER patients_search_delete AFTER DELETE ON patients BEGIN
    DELETE FROM patient_search WHERE rowid = old.id;
END;
-- Searches use the folded names now; this index of lower(family_name) served none.
DROP INDEX patients_family_name;
