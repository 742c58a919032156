-- volumes.relabel_merge_id names the open merge (SAFETY.md H05) whose
-- relabelling a volume still waits for: its label shows the numbers it
-- had before its patient's records were merged. A scan reads it with the
-- volume (no query of its own) and warns whoever holds the folder. These
-- triggers keep it whatever records a merge's volumes or closes the task:
-- the latest open merge that lists the volume, else NULL.
ALTER TABLE volumes ADD COLUMN relabel_merge_id BIGINT;
CREATE INDEX merge_volumes_volume ON merge_volumes (volume_id);

CREATE FUNCTION casetrack_open_relabel(vol BIGINT) RETURNS BIGINT
LANGUAGE sql STABLE AS $$
	SELECT MAX(mv.merge_id) FROM merge_volumes mv JOIN patient_merges m ON m.id = mv.merge_id
	WHERE mv.volume_id = vol AND m.done_at IS NULL
$$;

CREATE FUNCTION casetrack_flag_relabel() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE volumes SET relabel_merge_id = casetrack_open_relabel(id) WHERE id = NEW.volume_id;
	RETURN NULL;
END
$$;
CREATE TRIGGER merge_volumes_flag_relabel AFTER INSERT ON merge_volumes
    FOR EACH ROW EXECUTE FUNCTION casetrack_flag_relabel();

CREATE FUNCTION casetrack_merge_done() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE volumes SET relabel_merge_id = casetrack_open_relabel(id)
	WHERE id IN (SELECT volume_id FROM merge_volumes WHERE merge_id = NEW.id);
	RETURN NULL;
END
$$;
CREATE TRIGGER patient_merges_relabel_done AFTER UPDATE OF done_at ON patient_merges
    FOR EACH ROW WHEN (OLD.done_at IS DISTINCT FROM NEW.done_at) EXECUTE FUNCTION casetrack_merge_done();

UPDATE volumes SET relabel_merge_id = casetrack_open_relabel(id) WHERE id IN (SELECT volume_id FROM merge_volumes);
