-- A location may reveal a sensitive service (a sexual health clinic, a
-- psychiatric unit, a gender identity service): that a patient's notes
-- are there says something about the patient (SAFETY.md H08). Such a
-- location is marked, and shown only to those who must know where notes
-- are to fetch them; others see that the notes are at a restricted
-- location.
ALTER TABLE locations ADD COLUMN sensitive BOOLEAN NOT NULL DEFAULT FALSE;
