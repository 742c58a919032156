package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// LogAccess appends entries to the access audit log in one statement, as
// a scan's chunk writes its reads (see scan_insert.go): a list of five
// thousand patients writes five thousand entries, and row by row through
// gorm they cost more than reading the list.
func (db *DB) LogAccess(ctx context.Context, entries []tracking.Access) error {
	if len(entries) == 0 {
		return nil
	}
	return db.logAccessMany(ctx, entries)
}

// accessEntryRow is an access-log row with the patient it names.
type accessEntryRow struct {
	ID             int64
	At             time.Time
	Actor          string
	ActorKind      string
	Role           string
	Action         string
	PatientID      *int64
	Detail         string
	HospitalNumber *string
	NHSNumber      *string `gorm:"column:nhs_number"`
	FamilyName     *string
	GivenName      *string
	BirthDate      *time.Time
}

// FindAccessLog returns the entries the filter asks for, newest first,
// each with its patient. Each way of narrowing has its index: by patient,
// by actor, by time.
func (db *DB) FindAccessLog(ctx context.Context, f tracking.AccessFilter) ([]tracking.AccessEntry, error) {
	q := db.gorm.WithContext(ctx).Table("access_log a").
		Select("a.*, p.hospital_number, p.nhs_number, p.family_name, p.given_name, p.birth_date").
		Joins("LEFT JOIN patients p ON p.id = a.patient_id")
	if f.PatientID != 0 {
		q = q.Where("a.patient_id = ?", f.PatientID)
	}
	if f.Actor != "" {
		q = q.Where("a.actor = ?", f.Actor)
	}
	if !f.From.IsZero() {
		q = q.Where("a.at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("a.at <= ?", f.To.UTC())
	}
	if c := f.After; c != nil {
		q = q.Where("(a.at < ? OR (a.at = ? AND a.id < ?))", c.At.UTC(), c.At.UTC(), c.ID)
	}
	var rows []accessEntryRow
	if err := q.Order("a.at DESC, a.id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "access log")
	}
	out := make([]tracking.AccessEntry, len(rows))
	for i, r := range rows {
		out[i] = r.entry()
	}
	return out, nil
}

func (r accessEntryRow) entry() tracking.AccessEntry {
	e := tracking.AccessEntry{ID: r.ID, Access: tracking.Access{At: r.At.UTC(), Actor: r.Actor,
		ActorKind: tracking.ActorKind(r.ActorKind), Role: tracking.Role(r.Role), Action: r.Action,
		PatientID: derefID(r.PatientID), Detail: r.Detail}}
	if r.HospitalNumber != nil {
		e.Patient = &tracking.Patient{ID: e.PatientID, HospitalNumber: *r.HospitalNumber, NHSNumber: deref(r.NHSNumber),
			FamilyName: deref(r.FamilyName), GivenName: deref(r.GivenName), BirthDate: date(r.BirthDate)}
	}
	return e
}
