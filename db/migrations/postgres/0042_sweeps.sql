-- Sweeps: a stocktake of what is physically at a location. Each scan made
-- for a sweep is kept beside the scan itself (a folder seen, with where it
-- was recorded when the scan corrected that, or the raw text of a barcode
-- that named nothing); finishing the sweep keeps its outcome per volume,
-- so the report reads the same however the folders move afterwards.
CREATE TABLE sweeps (
    id          BIGSERIAL PRIMARY KEY,
    location_id BIGINT NOT NULL REFERENCES locations (id),
    started_at  TIMESTAMPTZ NOT NULL,
    started_by  TEXT NOT NULL,
    finished_at TIMESTAMPTZ,
    finished_by TEXT
);

CREATE TABLE sweep_scans (
    id         BIGSERIAL PRIMARY KEY,
    sweep_id   BIGINT NOT NULL REFERENCES sweeps (id),
    scan_id    TEXT NOT NULL,
    volume_id  BIGINT,
    was_at_id  BIGINT,
    result     TEXT NOT NULL,
    raw        TEXT NOT NULL,
    scanned_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sweep_scans_sweep ON sweep_scans (sweep_id, id);
CREATE INDEX sweep_scans_scan ON sweep_scans (scan_id);

CREATE TABLE sweep_results (
    sweep_id  BIGINT NOT NULL REFERENCES sweeps (id),
    seq       INTEGER NOT NULL,
    volume_id BIGINT NOT NULL,
    outcome   TEXT NOT NULL,
    was_at_id BIGINT,
    PRIMARY KEY (sweep_id, seq)
);
