package db

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

type patientRow struct {
	ID             int64
	HospitalNumber string
	NHSNumber      *string `gorm:"column:nhs_number"`
	FamilyName     string
	GivenName      string
	BirthDate      *time.Time
	DeathDate      *time.Time
	MergedIntoID   *int64
	CreatedAt      time.Time
	FamilyFold     string
	GivenFold      string
}

func (patientRow) TableName() string { return "patients" }

func (r *patientRow) patient() *tracking.Patient {
	return &tracking.Patient{ID: r.ID, HospitalNumber: r.HospitalNumber, NHSNumber: deref(r.NHSNumber),
		FamilyName: r.FamilyName, GivenName: r.GivenName, BirthDate: date(r.BirthDate), DeathDate: date(r.DeathDate),
		MergedIntoID: derefID(r.MergedIntoID), CreatedAt: r.CreatedAt}
}

func dateTime(d *tracking.Date) *time.Time {
	if d == nil {
		return nil
	}
	return &d.Time
}

// CreatePatient stores the patient and its first volume in one transaction.
func (db *DB) CreatePatient(ctx context.Context, p *tracking.Patient, first *tracking.Volume) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := insertPatient(db.runner(tx), p); err != nil {
			return err
		}
		first.PatientID = p.ID
		return insertVolume(tx, first)
	})
	return translate(err, "patient with this hospital number or NHS number (or a volume with this legacy barcode)")
}

// survivorOf selects the id of the patient a column's value names: the
// survivor for a merged record.
const survivorOf = "id IN (SELECT COALESCE(merged_into_id, id) FROM patients WHERE %s = ?)"

// insertPatient stores a new patient, with no volume, and sets its id.
func insertPatient(r runner, p *tracking.Patient) error {
	_, err := queryOne(r, `INSERT INTO patients (hospital_number, nhs_number, family_name, given_name, birth_date, death_date,
		created_at, family_fold, given_fold) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, []any{&p.ID},
		p.HospitalNumber, nullable(p.NHSNumber), p.FamilyName, p.GivenName, dateTime(p.BirthDate), dateTime(p.DeathDate),
		p.CreatedAt.UTC(), fold(p.FamilyName), fold(p.GivenName))
	return err
}

// FindPatientByHospitalNumber finds the patient the number names, the
// survivor of a merged record.
func (db *DB) FindPatientByHospitalNumber(ctx context.Context, hn string) (*tracking.Patient, error) {
	var rows []patientRow
	if err := db.gorm.WithContext(ctx).Where(fmt.Sprintf(survivorOf, "hospital_number"), hn).Limit(1).Find(&rows).Error; err != nil {
		return nil, translate(err, "patient")
	}
	if len(rows) == 0 {
		return nil, tracking.Errorf(tracking.ENOTFOUND, "No patient has the hospital number %q.", hn)
	}
	return rows[0].patient(), nil
}

// FindPatients returns matching patients, by name, each with its volumes.
func (db *DB) FindPatients(ctx context.Context, f tracking.PatientFilter) ([]*tracking.Patient, error) {
	q := db.patientsMatching(ctx, f).Clauses(patientOrder(f))
	var rows []patientRow
	if err := q.Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "patient")
	}
	return db.withVolumes(ctx, rows)
}

func (db *DB) withVolumes(ctx context.Context, rows []patientRow) ([]*tracking.Patient, error) {
	out := make([]*tracking.Patient, len(rows))
	byID := map[int64]*tracking.Patient{}
	ids := make([]int64, len(rows))
	for i := range rows {
		out[i] = rows[i].patient()
		byID[out[i].ID], ids[i] = out[i], out[i].ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	where, arg := inList(db.dialect, "v.patient_id", ids)
	vols, err := db.findVolumes(ctx, "WHERE "+where+" ORDER BY v.patient_id, v.number", arg)
	if err != nil {
		return nil, err
	}
	for _, v := range vols {
		v.Patient = nil
		byID[v.PatientID].Volumes = append(byID[v.PatientID].Volumes, v)
	}
	return out, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
