package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

type accessRow struct {
	ID        int64
	At        time.Time
	Actor     string
	Role      string
	Action    string
	PatientID *int64
	Detail    string
}

func (accessRow) TableName() string { return "access_log" }

// LogAccess appends entries to the access audit log in one statement.
func (db *DB) LogAccess(ctx context.Context, entries []tracking.Access) error {
	return logAccess(db.gorm.WithContext(ctx), entries)
}

// logAccess appends entries to the access audit log through g, which may
// be a transaction's.
func logAccess(g *gorm.DB, entries []tracking.Access) error {
	if len(entries) == 0 {
		return nil
	}
	rows := make([]accessRow, len(entries))
	for i, e := range entries {
		rows[i] = accessRow{At: e.At.UTC(), Actor: e.Actor, Role: string(e.Role), Action: e.Action,
			PatientID: nullableID(e.PatientID), Detail: e.Detail}
	}
	return translate(g.CreateInBatches(rows, 500).Error, "access log entry")
}

// FindAccess returns a patient's access log, newest first.
func (db *DB) FindAccess(ctx context.Context, patientID int64, limit int) ([]tracking.Access, error) {
	var rows []accessRow
	if err := db.gorm.WithContext(ctx).Where("patient_id = ?", patientID).Order("id DESC").Limit(limit).
		Find(&rows).Error; err != nil {
		return nil, translate(err, "access log")
	}
	out := make([]tracking.Access, len(rows))
	for i, r := range rows {
		out[i] = tracking.Access{At: r.At.UTC(), Actor: r.Actor, Role: tracking.Role(r.Role), Action: r.Action,
			PatientID: derefID(r.PatientID), Detail: r.Detail}
	}
	return out, nil
}
