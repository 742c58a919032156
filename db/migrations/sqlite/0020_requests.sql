-- See the PostgreSQL migration of the same number.
CREATE TABLE appointments (
    id          INTEGER PRIMARY KEY,
    pas_id      TEXT NOT NULL UNIQUE,
    patient_id  INTEGER NOT NULL REFERENCES patients (id),
    clinic_id   INTEGER NOT NULL REFERENCES locations (id),
    starts_at   TIMESTAMP NOT NULL,
    status      TEXT NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX appointments_start ON appointments (starts_at) WHERE status = 'booked';

CREATE TABLE requests (
    id             INTEGER PRIMARY KEY,
    patient_id     INTEGER NOT NULL REFERENCES patients (id),
    location_id    INTEGER NOT NULL REFERENCES locations (id),
    needed_by      TIMESTAMP NOT NULL,
    priority       TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    whole          BOOLEAN NOT NULL,
    status         TEXT NOT NULL,
    appointment_id INTEGER REFERENCES appointments (id),
    requested_by   TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    fulfilled_at   TIMESTAMP,
    cancelled_by   TEXT,
    cancelled_at   TIMESTAMP
);
CREATE INDEX requests_open_patient ON requests (patient_id) WHERE status = 'open';
CREATE INDEX requests_open_need ON requests (needed_by, id) WHERE status = 'open';
CREATE INDEX requests_patient ON requests (patient_id, id);
CREATE INDEX requests_appointment ON requests (appointment_id, id) WHERE appointment_id IS NOT NULL;
CREATE INDEX requests_requested_by ON requests (requested_by, id);

CREATE TABLE request_volumes (
    request_id   INTEGER NOT NULL REFERENCES requests (id),
    volume_id    INTEGER NOT NULL REFERENCES volumes (id),
    named        BOOLEAN NOT NULL,
    arrived_at   TIMESTAMP,
    PRIMARY KEY (request_id, volume_id)
);

CREATE TABLE request_events (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests (id),
    at         TIMESTAMP NOT NULL,
    event      TEXT NOT NULL,
    by_name    TEXT NOT NULL,
    volume_id  INTEGER,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX request_events_request ON request_events (request_id, id);

ALTER TABLE volumes ADD COLUMN requested BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TRIGGER requests_flag_volumes_insert AFTER INSERT ON requests WHEN NEW.status = 'open'
BEGIN
    UPDATE volumes SET requested = TRUE WHERE patient_id = NEW.patient_id AND NOT requested;
END;
CREATE TRIGGER requests_flag_volumes_update AFTER UPDATE OF status, patient_id ON requests WHEN NEW.status = 'open'
BEGIN
    UPDATE volumes SET requested = TRUE WHERE patient_id = NEW.patient_id AND NOT requested;
END;
CREATE TRIGGER volumes_flag_requested_insert AFTER INSERT ON volumes
    WHEN EXISTS (SELECT 1 FROM requests WHERE patient_id = NEW.patient_id AND status = 'open')
BEGIN
    UPDATE volumes SET requested = TRUE WHERE id = NEW.id;
END;
CREATE TRIGGER volumes_flag_requested_update AFTER UPDATE OF patient_id ON volumes
    WHEN EXISTS (SELECT 1 FROM requests WHERE patient_id = NEW.patient_id AND status = 'open')
BEGIN
    UPDATE volumes SET requested = TRUE WHERE id = NEW.id;
END;
