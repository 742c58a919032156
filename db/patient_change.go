package db

import (
	"context"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// ChangePatients runs change in one transaction, taking it again (up to
// three times) when PostgreSQL chose it as a deadlock or serialisation
// victim: change decides afresh each time from what it reads.
func (db *DB) ChangePatients(ctx context.Context, change func(tracking.PatientTx) error) error {
	for attempt := 1; ; attempt++ {
		var t *patientTx
		err := db.tx(ctx, func(tx *gorm.DB) error {
			t = &patientTx{db: db, run: db.runner(tx)}
			return change(t)
		})
		if err == nil {
			db.announce(t.news)
		}
		if err == nil || attempt == 3 || !retryable(err) {
			return translate(err, "patient with this hospital number or NHS number")
		}
	}
}

// patientTx is tracking.PatientTx inside one transaction. On PostgreSQL
// the rows it reads are locked FOR UPDATE; SQLite's one writer holds the
// whole database already.
type patientTx struct {
	db  *DB
	run runner
	// news is what the transaction did to requests, handed to PostgreSQL
	// inside it and announced to this process's watchers once it commits.
	news []tracking.RequestChange
}

// patientColumns are what a patient is read with.
const patientColumns = "id, hospital_number, nhs_number, family_name, given_name, birth_date, death_date, merged_into_id, created_at"

func (t *patientTx) locking() string {
	if t.db.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// PatientByHospitalNumber reads and locks the patient stored under hn.
func (t *patientTx) PatientByHospitalNumber(hn string) (*tracking.Patient, error) {
	ps, err := queryAll(t.run, scanPatient, "SELECT "+patientColumns+" FROM patients WHERE hospital_number = ?"+t.locking(), hn)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, tracking.Errorf(tracking.ENOTFOUND, "No patient has the hospital number %s.", hn)
	}
	return ps[0], nil
}

// PatientsByNumbers reads and locks, in one query, the patient stored
// under the hospital number and the one holding the NHS number.
func (t *patientTx) PatientsByNumbers(hn, nhs string) (byHN, byNHS *tracking.Patient, err error) {
	ps, err := queryAll(t.run, scanPatient, "SELECT "+patientColumns+" FROM patients WHERE hospital_number = ? OR nhs_number = ?"+
		t.locking(), hn, nullable(nhs))
	for _, p := range ps {
		if p.HospitalNumber == hn {
			byHN = p
		}
		if nhs != "" && p.NHSNumber == nhs {
			byNHS = p
		}
	}
	return byHN, byNHS, err
}

// VolumesOf reads and locks a patient's volumes, in number order: what a
// merge needs of them.
func (t *patientTx) VolumesOf(patientID int64) ([]*tracking.Volume, error) {
	return queryAll(t.run, func(scan scanFunc) (*tracking.Volume, error) {
		v := &tracking.Volume{PatientID: patientID}
		var barcode, legacy *string
		err := scan(&v.ID, &v.Number, &barcode, &legacy, &v.Status)
		v.Barcode, v.LegacyCode = deref(barcode), deref(legacy)
		return v, err
	}, "SELECT id, number, barcode, legacy_barcode, status FROM volumes WHERE patient_id = ? ORDER BY number"+t.locking(), patientID)
}

// CreatePatient stores a new patient with no volume.
func (t *patientTx) CreatePatient(p *tracking.Patient) error { return insertPatient(t.run, p) }

// UpdatePatient stores a patient's details, and their folded names for
// search.
func (t *patientTx) UpdatePatient(p *tracking.Patient) error {
	return t.run.exec(`UPDATE patients SET nhs_number = ?, family_name = ?, given_name = ?, birth_date = ?, death_date = ?,
		family_fold = ?, given_fold = ? WHERE id = ?`, nullable(p.NHSNumber), p.FamilyName, p.GivenName, dateTime(p.BirthDate),
		dateTime(p.DeathDate), fold(p.FamilyName), fold(p.GivenName), p.ID)
}

// LogAccess writes access-log entries in the transaction, in one statement.
func (t *patientTx) LogAccess(entries []tracking.Access) error {
	if len(entries) == 0 {
		return nil
	}
	q := "INSERT INTO access_log (at, actor, role, action, patient_id, detail, actor_kind) VALUES "
	args := make([]any, 0, 7*len(entries))
	for i, e := range entries {
		if i > 0 {
			q += ", "
		}
		q += "(?, ?, ?, ?, ?, ?, ?)"
		args = append(args, e.At.UTC(), e.Actor, string(e.Role), e.Action, nullableID(e.PatientID), e.Detail, string(e.ActorKind))
	}
	return t.run.exec(q, args...)
}
