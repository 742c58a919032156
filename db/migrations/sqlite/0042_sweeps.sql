-- Sweeps: a stocktake of what is physically at a location. Each scan made
-- for a sweep is kept beside the scan itself (a folder seen, with where it
-- was recorded when the scan corrected that, or the raw text of a barcode
-- that named nothing), with what orders the scans as they were made: the
-- device, the scan's time, when it arrived and its place in its request;
-- finishing the sweep keeps its outcome per volume, so the report reads
-- the same however the folders move afterwards.
CREATE TABLE sweeps (
    id          INTEGER PRIMARY KEY,
    location_id INTEGER NOT NULL REFERENCES locations (id),
    started_at  DATETIME NOT NULL,
    started_by  TEXT NOT NULL,
    finished_at DATETIME,
    finished_by TEXT
);

CREATE TABLE sweep_scans (
    id         INTEGER PRIMARY KEY,
    sweep_id   INTEGER NOT NULL REFERENCES sweeps (id),
    scan_id    TEXT NOT NULL,
    volume_id  INTEGER,
    was_at_id  INTEGER,
    result      TEXT NOT NULL,
    raw         TEXT NOT NULL,
    device      TEXT NOT NULL DEFAULT '',
    scanned_at  DATETIME NOT NULL,
    received_at DATETIME NOT NULL,
    seq         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sweep_scans_sweep ON sweep_scans (sweep_id, id);
CREATE INDEX sweep_scans_scan ON sweep_scans (scan_id);

CREATE TABLE sweep_results (
    sweep_id  INTEGER NOT NULL REFERENCES sweeps (id),
    seq       INTEGER NOT NULL,
    volume_id INTEGER NOT NULL,
    outcome   TEXT NOT NULL,
    was_at_id INTEGER,
    device    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (sweep_id, seq)
);
