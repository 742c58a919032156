-- Requests for notes, the clinic appointments that hold them, and each
-- request's history. A request wants the patient's volumes in use (whole)
-- or the volumes it names (request_volumes.named); request_volumes also
-- records each arrival, which counts even if the volume leaves again.
CREATE TABLE appointments (
    id          BIGSERIAL PRIMARY KEY,
    pas_id      TEXT NOT NULL UNIQUE,
    patient_id  BIGINT NOT NULL REFERENCES patients (id),
    clinic_id   BIGINT NOT NULL REFERENCES locations (id),
    starts_at   TIMESTAMPTZ NOT NULL,
    status      TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX appointments_start ON appointments (starts_at) WHERE status = 'booked';

CREATE TABLE requests (
    id             BIGSERIAL PRIMARY KEY,
    patient_id     BIGINT NOT NULL REFERENCES patients (id),
    location_id    BIGINT NOT NULL REFERENCES locations (id),
    needed_by      TIMESTAMPTZ NOT NULL,
    priority       TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    whole          BOOLEAN NOT NULL,
    status         TEXT NOT NULL,
    appointment_id BIGINT REFERENCES appointments (id),
    requested_by   TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    fulfilled_at   TIMESTAMPTZ,
    cancelled_by   TEXT,
    cancelled_at   TIMESTAMPTZ
);
-- What a scan of a flagged volume reads under lock, and the open queue.
CREATE INDEX requests_open_patient ON requests (patient_id) WHERE status = 'open';
CREATE INDEX requests_open_need ON requests (needed_by, id) WHERE status = 'open';
CREATE INDEX requests_patient ON requests (patient_id, id);
CREATE INDEX requests_appointment ON requests (appointment_id, id) WHERE appointment_id IS NOT NULL;
CREATE INDEX requests_requested_by ON requests (requested_by, id);

CREATE TABLE request_volumes (
    request_id   BIGINT NOT NULL REFERENCES requests (id),
    volume_id    BIGINT NOT NULL REFERENCES volumes (id),
    named        BOOLEAN NOT NULL,
    arrived_at   TIMESTAMPTZ,
    PRIMARY KEY (request_id, volume_id)
);

CREATE TABLE request_events (
    id         BIGSERIAL PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    at         TIMESTAMPTZ NOT NULL,
    event      TEXT NOT NULL,
    by_name    TEXT NOT NULL,
    volume_id  BIGINT,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX request_events_request ON request_events (request_id, id);

-- volumes.requested is set while an open request may want the volume: a
-- scan reads it with the volume (no query of its own), and only a flagged
-- volume's scan reads and locks requests. PostgreSQL's single-statement
-- scan writes only while the flag is still clear, so a request made while
-- a scan is in flight sends that scan the locked way. The flag is set by
-- these triggers whatever makes the request or the volume (a request, an
-- appointment, an import, a merge); it is cleared by a scan that finds no
-- open request left for the volume's patient.
ALTER TABLE volumes ADD COLUMN requested BOOLEAN NOT NULL DEFAULT FALSE;

CREATE FUNCTION casetrack_flag_request() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.status = 'open' THEN
		UPDATE volumes SET requested = TRUE WHERE patient_id = NEW.patient_id AND NOT requested;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER requests_flag_volumes AFTER INSERT OR UPDATE OF status, patient_id ON requests
    FOR EACH ROW EXECUTE FUNCTION casetrack_flag_request();

CREATE FUNCTION casetrack_flag_volume() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM requests WHERE patient_id = NEW.patient_id AND status = 'open') THEN
		NEW.requested := TRUE;
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER volumes_flag_requested BEFORE INSERT OR UPDATE OF patient_id ON volumes
    FOR EACH ROW EXECUTE FUNCTION casetrack_flag_volume();
