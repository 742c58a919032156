-- When notes go astray: every change of a volume's status is kept with
-- who made it, when, from what and why (marking a volume missing starts
-- its search log; a scan that finds it ends it, naming whoever marked it
-- missing so they can be told). Temporary folders are linked to the
-- missing volume they stand in for, carry the day they are due to be
-- amalgamated, and, once amalgamated, the volume they went into.
CREATE TABLE volume_status_history (
    id          INTEGER PRIMARY KEY,
    volume_id   INTEGER NOT NULL REFERENCES volumes (id),
    status      TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    by_name     TEXT NOT NULL,
    at          DATETIME NOT NULL,
    scan_id     TEXT,
    location_id INTEGER,
    notify      TEXT
);
CREATE INDEX volume_status_history_volume ON volume_status_history (volume_id, id);
CREATE INDEX volume_status_history_found ON volume_status_history (at) WHERE scan_id IS NOT NULL;

CREATE TABLE temporary_volumes (
    volume_id           INTEGER PRIMARY KEY REFERENCES volumes (id),
    original_id         INTEGER REFERENCES volumes (id),
    due_on              DATE NOT NULL,
    amalgamated_into_id INTEGER REFERENCES volumes (id)
);
CREATE INDEX temporary_volumes_original ON temporary_volumes (original_id) WHERE original_id IS NOT NULL;

-- The exception lists read missing and temporary volumes; only those rows
-- are in this index, so a scan that moves any other volume pays nothing
-- for it, and one that keeps the status (every scan but a find) may still
-- rewrite its row in place.
CREATE INDEX volumes_exceptions ON volumes (status) WHERE status IN ('missing', 'temporary');
