-- The core model: locations, patients, volumes, the movement log, scans,
-- device context, users, tokens and the access audit log.
CREATE TABLE locations (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    barcode        TEXT UNIQUE,
    legacy_barcode TEXT UNIQUE,
    gln            TEXT UNIQUE,
    parent_id      INTEGER REFERENCES locations (id),
    created_at     DATETIME NOT NULL
);

CREATE TABLE patients (
    id              INTEGER PRIMARY KEY,
    hospital_number TEXT NOT NULL UNIQUE,
    nhs_number      TEXT UNIQUE,
    family_name     TEXT NOT NULL,
    given_name      TEXT NOT NULL DEFAULT '',
    birth_date      DATE,
    death_date      DATE,
    merged_into_id  INTEGER REFERENCES patients (id),
    created_at      DATETIME NOT NULL
);
CREATE INDEX patients_family_name ON patients (lower(family_name));

CREATE TABLE volumes (
    id                  INTEGER PRIMARY KEY,
    patient_id          INTEGER NOT NULL REFERENCES patients (id),
    number              INTEGER NOT NULL,
    barcode             TEXT UNIQUE,
    legacy_barcode      TEXT UNIQUE,
    status              TEXT NOT NULL,
    home_location_id    INTEGER NOT NULL REFERENCES locations (id),
    current_location_id INTEGER NOT NULL REFERENCES locations (id),
    current_since       DATETIME NOT NULL,
    last_scanned_at     DATETIME,
    created_at          DATETIME NOT NULL,
    UNIQUE (patient_id, number)
);
CREATE INDEX volumes_current_location ON volumes (current_location_id);

CREATE TABLE movements (
    id             INTEGER PRIMARY KEY,
    volume_id      INTEGER NOT NULL REFERENCES volumes (id),
    to_location_id INTEGER NOT NULL REFERENCES locations (id),
    scanned_at     DATETIME NOT NULL,
    received_at    DATETIME NOT NULL,
    by_name        TEXT NOT NULL,
    device         TEXT NOT NULL DEFAULT '',
    channel        TEXT NOT NULL,
    scan_id        TEXT
);
CREATE INDEX movements_volume_time ON movements (volume_id, scanned_at, id);

CREATE TABLE scans (
    id                INTEGER PRIMARY KEY,
    scan_id           TEXT UNIQUE,
    attempted_scan_id TEXT NOT NULL,
    raw               TEXT NOT NULL,
    code_kind         TEXT NOT NULL DEFAULT '',
    code_value        TEXT NOT NULL DEFAULT '',
    result            TEXT NOT NULL,
    device            TEXT NOT NULL DEFAULT '',
    channel           TEXT NOT NULL,
    by_name           TEXT NOT NULL,
    location_id       INTEGER REFERENCES locations (id),
    volume_id         INTEGER REFERENCES volumes (id),
    scanned_at        DATETIME NOT NULL,
    received_at       DATETIME NOT NULL,
    message           TEXT NOT NULL DEFAULT '',
    response          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX scans_result ON scans (result, id);

CREATE TABLE devices (
    name        TEXT PRIMARY KEY,
    location_id INTEGER NOT NULL REFERENCES locations (id),
    set_at      DATETIME NOT NULL,
    set_by      TEXT NOT NULL,
    scan_id     TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    DATETIME NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    created_at DATETIME NOT NULL,
    revoked_at DATETIME
);

CREATE TABLE access_log (
    id         INTEGER PRIMARY KEY,
    at         DATETIME NOT NULL,
    actor      TEXT NOT NULL,
    role       TEXT NOT NULL,
    action     TEXT NOT NULL,
    patient_id INTEGER REFERENCES patients (id),
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_log_patient ON access_log (patient_id, at);
