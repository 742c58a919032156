-- The print log: every label printed or downloaded for printing, with the
-- copy number of its barcode, so reprints of damaged labels show as such.
CREATE TABLE print_log (
    id         BIGSERIAL PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    actor      TEXT NOT NULL,
    printer    TEXT NOT NULL,
    format     TEXT NOT NULL,
    barcode    TEXT NOT NULL,
    patient_id BIGINT REFERENCES patients (id),
    copy       INTEGER NOT NULL
);
CREATE INDEX print_log_barcode ON print_log (barcode, copy);
CREATE INDEX volumes_created_at ON volumes (created_at);
CREATE INDEX patients_same_name ON patients (lower(family_name), lower(given_name));
