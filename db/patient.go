package db

import (
	"context"
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
		row := patientRow{HospitalNumber: p.HospitalNumber, NHSNumber: nullable(p.NHSNumber), FamilyName: p.FamilyName,
			GivenName: p.GivenName, BirthDate: dateTime(p.BirthDate), DeathDate: dateTime(p.DeathDate), CreatedAt: p.CreatedAt.UTC(),
			FamilyFold: fold(p.FamilyName), GivenFold: fold(p.GivenName)}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		p.ID, first.PatientID = row.ID, row.ID
		return insertVolume(tx, first)
	})
	return translate(err, "patient with this hospital number or NHS number (or a volume with this legacy barcode)")
}

// FindPatientByHospitalNumber finds one patient.
func (db *DB) FindPatientByHospitalNumber(ctx context.Context, hn string) (*tracking.Patient, error) {
	var rows []patientRow
	if err := db.gorm.WithContext(ctx).Where("hospital_number = ?", hn).Limit(1).Find(&rows).Error; err != nil {
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
