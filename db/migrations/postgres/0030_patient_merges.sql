-- Merges of duplicate patient records. The duplicate keeps its row: its
-- hospital number (and its NHS number, unless the survivor took it) finds
-- the survivor through merged_into_id, which always names the last
-- survivor. Each merge is recorded with who made it, how, and the
-- duplicate as it was; it stays an open task until its folders have been
-- relabelled and filed with the survivor's (SAFETY.md H05).
ALTER TABLE patients ADD COLUMN merged_at TIMESTAMPTZ;
CREATE INDEX patients_merged_into ON patients (merged_into_id) WHERE merged_into_id IS NOT NULL;

CREATE TABLE patient_merges (
    id            BIGSERIAL PRIMARY KEY,
    duplicate_id  BIGINT NOT NULL REFERENCES patients (id),
    survivor_id   BIGINT NOT NULL REFERENCES patients (id),
    merged_at     TIMESTAMPTZ NOT NULL,
    merged_by     TEXT NOT NULL,
    role          TEXT NOT NULL,
    channel       TEXT NOT NULL,
    duplicate_was TEXT NOT NULL,
    done_at       TIMESTAMPTZ,
    done_by       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX patient_merges_survivor ON patient_merges (survivor_id);
CREATE INDEX patient_merges_open ON patient_merges (id) WHERE done_at IS NULL;

-- The volumes whose labels a merge changed: the duplicate's, renumbered,
-- and the survivor's own, whose "n of m" changed.
CREATE TABLE merge_volumes (
    merge_id   BIGINT NOT NULL REFERENCES patient_merges (id),
    volume_id  BIGINT NOT NULL,
    old_number INTEGER NOT NULL,
    new_number INTEGER NOT NULL,
    moved      BOOLEAN NOT NULL,
    PRIMARY KEY (merge_id, volume_id)
);
