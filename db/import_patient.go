package db

import (
	"context"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// ImportPatients reads the stored patients a batch names by hospital or
// NHS number, has the batch decide, and writes its new and changed
// patients, in one transaction.
func (db *DB) ImportPatients(ctx context.Context, b *tracking.PatientBatch) error {
	return db.importTx(ctx, b.DryRun, func(tx *gorm.DB) error {
		found, err := db.patientsNamed(tx, b.HospitalNumbers(), b.NHSNumbers())
		if err != nil {
			return err
		}
		b.Decide(found)
		if b.DryRun {
			return nil
		}
		ptx := &patientTx{db: db, run: db.runner(tx)}
		for _, p := range b.Changed {
			if err := ptx.UpdatePatient(p); err != nil {
				return err
			}
		}
		return db.insertPatients(tx, b.New)
	})
}

// patientsByKey reads the patients with any of the hospital numbers (the
// first array) or NHS numbers (the second), one index look-up each: on
// PostgreSQL a plan made while the table was new and empty must not scan
// it for every key once it holds a million.
var patientsByKey = map[string]string{
	Postgres: `SELECT ` + patientColumns + ` FROM unnest(?::text[]) AS k(v)
		CROSS JOIN LATERAL (SELECT * FROM patients WHERE hospital_number = k.v OFFSET 0) p
	UNION
	SELECT ` + patientColumns + ` FROM unnest(?::text[]) AS k(v)
		CROSS JOIN LATERAL (SELECT * FROM patients WHERE nhs_number = k.v OFFSET 0) p`,
	SQLite: `SELECT ` + patientColumns + ` FROM patients WHERE hospital_number IN (SELECT value FROM json_each(?))
	UNION
	SELECT ` + patientColumns + ` FROM patients WHERE nhs_number IN (SELECT value FROM json_each(?))`,
}

// patientsNamed reads the patients with any of the hospital or NHS numbers.
func (db *DB) patientsNamed(tx *gorm.DB, hns, nhs []string) ([]*tracking.Patient, error) {
	return queryAll(db.runner(tx), scanPatient, patientsByKey[db.dialect], listParam(db.dialect, hns), listParam(db.dialect, nhs))
}

// scanPatient reads a row of patientColumns.
func scanPatient(scan scanFunc) (*tracking.Patient, error) {
	var r patientRow
	err := scan(&r.ID, &r.HospitalNumber, &r.NHSNumber, &r.FamilyName, &r.GivenName, &r.BirthDate, &r.DeathDate,
		&r.MergedIntoID, &r.CreatedAt)
	return r.patient(), err
}

// insertPatients stores new patients in one statement.
func (db *DB) insertPatients(tx *gorm.DB, ps []*tracking.Patient) error {
	if len(ps) == 0 {
		return nil
	}
	if db.dialect == Postgres {
		return db.insertPatientsPostgres(tx, ps)
	}
	ids, err := db.nextIDs(tx, "patients", len(ps))
	if err != nil {
		return err
	}
	j := newSQLiteRows(160 * len(ps))
	for i, p := range ps {
		p.ID = ids[i]
		j.row().int(p.ID).str(p.HospitalNumber).strOrNull(p.NHSNumber).str(p.FamilyName).str(p.GivenName).
			dateOrNull(p.BirthDate).dateOrNull(p.DeathDate).time(p.CreatedAt.UTC()).str(fold(p.FamilyName)).str(fold(p.GivenName))
	}
	return db.runner(tx).exec(`INSERT INTO patients (id, hospital_number, nhs_number, family_name, given_name, birth_date, death_date,
		created_at, family_fold, given_fold)
		SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8, value->>9
		FROM jsonb_each(?)`, j.jsonb())
}

func (db *DB) insertPatientsPostgres(tx *gorm.DB, ps []*tracking.Patient) error {
	n := len(ps)
	hn, nhs, family, given := make(textArray, n), make(pgArray, n), make(textArray, n), make(textArray, n)
	born, died, created := make(pgArray, n), make(pgArray, n), make(textArray, n)
	familyFold, givenFold := make(textArray, n), make(textArray, n)
	for i, p := range ps {
		hn[i], nhs[i], family[i], given[i] = p.HospitalNumber, p.NHSNumber, p.FamilyName, p.GivenName
		born[i], died[i], created[i] = pgDate(p.BirthDate), pgDate(p.DeathDate), pgTime(p.CreatedAt)
		familyFold[i], givenFold[i] = fold(p.FamilyName), fold(p.GivenName)
	}
	return db.runner(tx).exec(`INSERT INTO patients (hospital_number, nhs_number, family_name, given_name, birth_date, death_date,
		created_at, family_fold, given_fold)
		SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::date[], ?::date[], ?::timestamptz[], ?::text[], ?::text[])`,
		hn, nhs, family, given, born, died, created, familyFold, givenFold)
}
