package db

import (
	"context"
	"strconv"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// ImportVolumes reads the patients a batch names, their volumes and the
// volumes with the batch's legacy barcodes, has the batch decide, and
// writes its new and changed volumes, in one transaction.
func (db *DB) ImportVolumes(ctx context.Context, b *tracking.VolumeBatch) error {
	return db.importTx(ctx, b.DryRun, func(tx *gorm.DB) error {
		patients, err := db.patientsNamed(tx, b.HospitalNumbers(), nil)
		if err != nil {
			return err
		}
		ids := make([]int64, len(patients))
		for i, p := range patients {
			ids[i] = p.ID
		}
		volumes, err := db.volumesNamed(tx, ids, b.LegacyBarcodes())
		if err != nil {
			return err
		}
		b.Decide(patients, volumes)
		if b.DryRun {
			return nil
		}
		for _, v := range b.Changed {
			if err := db.runner(tx).exec(`UPDATE volumes SET status = ?, legacy_barcode = ?, home_location_id = ?,
				current_location_id = ?, current_since = ? WHERE id = ?`, string(v.Status), nullable(v.LegacyCode),
				v.HomeID, v.CurrentID, v.Since.UTC(), v.ID); err != nil {
				return err
			}
		}
		return db.insertVolumes(tx, b.New)
	})
}

// volumesByKey reads the volumes of the patients (the first array) and
// the volumes with the legacy barcodes (the second), one index look-up
// each (see patientsByKey).
var volumesByKey = map[string]string{
	Postgres: `SELECT v.* FROM unnest(?::int8[]) AS k(id)
		CROSS JOIN LATERAL (SELECT ` + importVolumeColumns + ` FROM volumes WHERE patient_id = k.id OFFSET 0) v
	UNION ALL
	SELECT v.* FROM unnest(?::text[]) AS k(code)
		CROSS JOIN LATERAL (SELECT ` + importVolumeColumns + ` FROM volumes WHERE legacy_barcode = k.code OFFSET 0) v`,
	SQLite: `SELECT ` + importVolumeColumns + ` FROM volumes WHERE patient_id IN (SELECT value FROM json_each(?))
	UNION ALL
	SELECT ` + importVolumeColumns + ` FROM volumes WHERE legacy_barcode IN (SELECT value FROM json_each(?))`,
}

const importVolumeColumns = `id, patient_id, number, barcode, legacy_barcode, status, home_location_id, current_location_id,
	current_since, last_scanned_at`

func (db *DB) volumesNamed(tx *gorm.DB, patientIDs []int64, legacy []string) ([]*tracking.Volume, error) {
	return queryAll(db.runner(tx), scanImportVolume, volumesByKey[db.dialect], listParam(db.dialect, patientIDs), listParam(db.dialect, legacy))
}

// scanImportVolume reads a row of importVolumeColumns.
func scanImportVolume(scan scanFunc) (*tracking.Volume, error) {
	var v tracking.Volume
	var barcode, legacy *string
	var since time.Time
	var last *time.Time
	err := scan(&v.ID, &v.PatientID, &v.Number, &barcode, &legacy, &v.Status, &v.HomeID, &v.CurrentID, &since, &last)
	v.Barcode, v.LegacyCode, v.Since, v.LastScanAt = deref(barcode), deref(legacy), tracking.TimestampOf(since), utc(last)
	return &v, err
}

// insertVolumes stores new volumes in one statement, each with its
// generated barcode, made from the id reserved for it.
func (db *DB) insertVolumes(tx *gorm.DB, vs []*tracking.Volume) error {
	if len(vs) == 0 {
		return nil
	}
	ids, err := db.nextIDs(tx, "volumes", len(vs))
	if err != nil {
		return err
	}
	for i, v := range vs {
		v.ID = ids[i]
		v.Barcode = tracking.VolumeBarcode(v.ID)
	}
	if db.dialect == Postgres {
		return db.insertVolumesPostgres(tx, vs)
	}
	j := newSQLiteRows(160 * len(vs))
	for _, v := range vs {
		j.row().int(v.ID).int(v.PatientID).int(int64(v.Number)).str(v.Barcode).strOrNull(v.LegacyCode).str(string(v.Status)).
			int(v.HomeID).int(v.CurrentID).time(v.Since.UTC()).time(v.CreatedAt.UTC())
	}
	return db.runner(tx).exec(`INSERT INTO volumes (id, patient_id, number, barcode, legacy_barcode, status, home_location_id,
		current_location_id, current_since, created_at)
		SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8, value->>9
		FROM jsonb_each(?)`, j.jsonb())
}

func (db *DB) insertVolumesPostgres(tx *gorm.DB, vs []*tracking.Volume) error {
	n := len(vs)
	id, patient, number, barcode, legacy, status := make(textArray, n), make(textArray, n), make(textArray, n),
		make(textArray, n), make(pgArray, n), make(textArray, n)
	home, current, since, created := make(textArray, n), make(textArray, n), make(textArray, n), make(textArray, n)
	for i, v := range vs {
		id[i], patient[i], number[i] = strconv.FormatInt(v.ID, 10), strconv.FormatInt(v.PatientID, 10), strconv.Itoa(v.Number)
		barcode[i], legacy[i], status[i] = v.Barcode, v.LegacyCode, string(v.Status)
		home[i], current[i] = strconv.FormatInt(v.HomeID, 10), strconv.FormatInt(v.CurrentID, 10)
		since[i], created[i] = pgTime(v.Since.Time), pgTime(v.CreatedAt)
	}
	return db.runner(tx).exec(`INSERT INTO volumes (id, patient_id, number, barcode, legacy_barcode, status, home_location_id,
		current_location_id, current_since, created_at)
		SELECT * FROM unnest(?::int8[], ?::int8[], ?::int4[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::int8[],
			?::timestamptz[], ?::timestamptz[])`, id, patient, number, barcode, legacy, status, home, current, since, created)
}
