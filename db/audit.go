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

// LogAccess appends entries to the access audit log in one statement, as
// a scan's chunk writes its reads (see scan_insert.go): a list of five
// thousand patients writes five thousand entries, and row by row through
// gorm they cost more than reading the list.
func (db *DB) LogAccess(ctx context.Context, entries []tracking.Access) error {
	if len(entries) == 0 {
		return nil
	}
	if db.dialect == Postgres {
		n := len(entries)
		at, patient := make([]time.Time, n), make([]*int64, n)
		actor, role, action, detail := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		for i, e := range entries {
			at[i], actor[i], role[i], action[i], patient[i], detail[i] = e.At.UTC(), e.Actor, string(e.Role), e.Action,
				nullableID(e.PatientID), e.Detail
		}
		_, err := db.gorm.Statement.ConnPool.ExecContext(ctx, `INSERT INTO access_log (at, actor, role, action, patient_id, detail)
			SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::text[])`,
			at, actor, role, action, patient, detail)
		return translate(err, "access log entry")
	}
	rows := newSQLiteRows(96 * len(entries))
	for _, e := range entries {
		rows.row().time(e.At.UTC()).str(e.Actor).str(string(e.Role)).str(e.Action).intOrNull(nullableID(e.PatientID)).str(e.Detail)
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		_, err := sqliteInsertReads.run(tx, rows)
		return err
	})
	return translate(err, "access log entry")
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
