-- volumes.relabel_merge_id names the open merge (SAFETY.md H05) whose
-- relabelling a volume still waits for: its label shows the numbers it
-- had before its patient's records were merged. A scan reads it with the
-- volume (no query of its own) and warns whoever holds the folder. These
-- triggers keep it whatever records a merge's volumes or closes the task:
-- the latest open merge that lists the volume, else NULL.
ALTER TABLE volumes ADD COLUMN relabel_merge_id INTEGER;
CREATE INDEX merge_volumes_volume ON merge_volumes (volume_id);

CREATE TRIGGER merge_volumes_flag_relabel AFTER INSERT ON merge_volumes
BEGIN
    UPDATE volumes SET relabel_merge_id = (SELECT MAX(mv.merge_id) FROM merge_volumes mv
        JOIN patient_merges m ON m.id = mv.merge_id WHERE mv.volume_id = volumes.id AND m.done_at IS NULL)
    WHERE id = NEW.volume_id;
END;

CREATE TRIGGER patient_merges_relabel_done AFTER UPDATE OF done_at ON patient_merges
    WHEN OLD.done_at IS NOT NEW.done_at
BEGIN
    UPDATE volumes SET relabel_merge_id = (SELECT MAX(mv.merge_id) FROM merge_volumes mv
        JOIN patient_merges m ON m.id = mv.merge_id WHERE mv.volume_id = volumes.id AND m.done_at IS NULL)
    WHERE id IN (SELECT volume_id FROM merge_volumes WHERE merge_id = NEW.id);
END;

UPDATE volumes SET relabel_merge_id = (SELECT MAX(mv.merge_id) FROM merge_volumes mv
    JOIN patient_merges m ON m.id = mv.merge_id WHERE mv.volume_id = volumes.id AND m.done_at IS NULL)
WHERE id IN (SELECT volume_id FROM merge_volumes);
