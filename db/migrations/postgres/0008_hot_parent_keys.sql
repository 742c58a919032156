-- A foreign key makes every inserted row take a share lock on the row it
-- points at. The scan log points at locations, and many porters book to
-- the same ward at once: those locks turned a few hot location rows into a
-- queue for every scan. Locations are never deleted (nor are volumes or
-- patients: a destroyed volume keeps its record), so references from the
-- logs cannot dangle; the reference from a movement to its volume stays,
-- as that row is locked by the movement anyway.
ALTER TABLE scans DROP CONSTRAINT scans_location_id_fkey;
ALTER TABLE scans DROP CONSTRAINT scans_volume_id_fkey;
ALTER TABLE movements DROP CONSTRAINT movements_to_location_id_fkey;
ALTER TABLE access_log DROP CONSTRAINT access_log_patient_id_fkey;
ALTER TABLE volumes DROP CONSTRAINT volumes_current_location_id_fkey;
