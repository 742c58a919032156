-- The core model: locations, patients, volumes, the movement log, scans,
-- device context, users, tokens and the access audit log.
CREATE TABLE locations (
    id             BIGSERIAL PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    barcode        TEXT UNIQUE,
    legacy_barcode TEXT UNIQUE,
    gln            TEXT UNIQUE,
    parent_id      BIGINT REFERENCES locations (id),
    created_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE patients (
    id              BIGSERIAL PRIMARY KEY,
    hospital_number TEXT NOT NULL UNIQUE,
    nhs_number      TEXT UNIQUE,
    family_name     TEXT NOT NULL,
    given_name      TEXT NOT NULL DEFAULT '',
    birth_date      DATE,
    death_date      DATE,
    merged_into_id  BIGINT REFERENCES patients (id),
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX patients_family_name ON patients (lower(family_name));

CREATE TABLE volumes (
    id                  BIGSERIAL PRIMARY KEY,
    patient_id          BIGINT NOT NULL REFERENCES patients (id),
    number              INTEGER NOT NULL,
    barcode             TEXT UNIQUE,
    legacy_barcode      TEXT UNIQUE,
    status              TEXT NOT NULL,
    home_location_id    BIGINT NOT NULL REFERENCES locations (id),
    current_location_id BIGINT NOT NULL REFERENCES locations (id),
    current_since       TIMESTAMPTZ NOT NULL,
    last_scanned_at     TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL,
    UNIQUE (patient_id, number)
);
CREATE INDEX volumes_current_location ON volumes (current_location_id);

CREATE TABLE movements (
    id             BIGSERIAL PRIMARY KEY,
    volume_id      BIGINT NOT NULL REFERENCES volumes (id),
    to_location_id BIGINT NOT NULL REFERENCES locations (id),
    scanned_at     TIMESTAMPTZ NOT NULL,
    received_at    TIMESTAMPTZ NOT NULL,
    by_name        TEXT NOT NULL,
    device         TEXT NOT NULL DEFAULT '',
    channel        TEXT NOT NULL,
    scan_id        TEXT
);
CREATE INDEX movements_volume_time ON movements (volume_id, scanned_at, id);

CREATE TABLE scans (
    id                BIGSERIAL PRIMARY KEY,
    scan_id           TEXT UNIQUE,
    attempted_scan_id TEXT NOT NULL,
    raw               TEXT NOT NULL,
    code_kind         TEXT NOT NULL DEFAULT '',
    code_value        TEXT NOT NULL DEFAULT '',
    result            TEXT NOT NULL,
    device            TEXT NOT NULL DEFAULT '',
    channel           TEXT NOT NULL,
    by_name           TEXT NOT NULL,
    location_id       BIGINT REFERENCES locations (id),
    volume_id         BIGINT REFERENCES volumes (id),
    scanned_at        TIMESTAMPTZ NOT NULL,
    received_at       TIMESTAMPTZ NOT NULL,
    message           TEXT NOT NULL DEFAULT '',
    response          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX scans_result ON scans (result, id);

CREATE TABLE devices (
    name        TEXT PRIMARY KEY,
    location_id BIGINT NOT NULL REFERENCES locations (id),
    set_at      TIMESTAMPTZ NOT NULL,
    set_by      TEXT NOT NULL,
    scan_id     TEXT NOT NULL
);

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE tokens (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);

CREATE TABLE access_log (
    id         BIGSERIAL PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    actor      TEXT NOT NULL,
    role       TEXT NOT NULL,
    action     TEXT NOT NULL,
    patient_id BIGINT REFERENCES patients (id),
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_log_patient ON access_log (patient_id, at);
