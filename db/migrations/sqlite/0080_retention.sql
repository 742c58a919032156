-- What stands between a volume and its destruction (SAFETY.md H09). A
-- review date says how long a volume must be kept; a legal hold on a
-- patient's record keeps every volume it has, whatever the dates say;
-- with two-person destruction, the first person's proposal waits here
-- for a second. Each is its own table so that the volumes row, which
-- every scan rewrites, stays as it is.
CREATE TABLE retention_dates (
    volume_id    INTEGER PRIMARY KEY REFERENCES volumes (id),
    retain_until DATE NOT NULL,
    set_by       TEXT NOT NULL,
    set_at       DATETIME NOT NULL
);

CREATE TABLE legal_holds (
    patient_id INTEGER PRIMARY KEY REFERENCES patients (id),
    reason     TEXT NOT NULL,
    set_by     TEXT NOT NULL,
    set_at     DATETIME NOT NULL
);

CREATE TABLE destruction_proposals (
    volume_id   INTEGER PRIMARY KEY REFERENCES volumes (id),
    proposed_by TEXT NOT NULL,
    proposed_at DATETIME NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
