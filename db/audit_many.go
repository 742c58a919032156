package db

import (
	"context"
	"fmt"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// logAccessMany writes access-log entries in one statement: the
// columns as arrays on PostgreSQL, the rows as one JSONB parameter on
// SQLite (as a chunk of scans writes its reads).
func (db *DB) logAccessMany(ctx context.Context, entries []tracking.Access) error {
	if db.dialect == Postgres {
		n := len(entries)
		at, patient := make([]time.Time, n), make([]*int64, n)
		actor, kind, role, action, detail := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		for i, e := range entries {
			at[i], actor[i], kind[i], role[i] = e.At.UTC(), e.Actor, string(e.ActorKind), string(e.Role)
			action[i], patient[i], detail[i] = e.Action, nullableID(e.PatientID), e.Detail
		}
		_, err := db.gorm.Statement.ConnPool.ExecContext(ctx, `INSERT INTO access_log (at, actor, role, action, patient_id, detail, actor_kind)
			SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::text[], $7::text[])`,
			at, actor, role, action, patient, detail, kind)
		if err != nil {
			return fmt.Errorf("access log: %w", err)
		}
		return nil
	}
	rows := newSQLiteRows(120 * len(entries))
	for _, e := range entries {
		rows.row().time(e.At.UTC()).str(e.Actor).str(string(e.Role)).str(e.Action).intOrNull(nullableID(e.PatientID)).str(e.Detail).
			str(string(e.ActorKind))
	}
	return translate(db.tx(ctx, func(tx *gorm.DB) error {
		_, err := sqliteInsertReads.run(tx, rows)
		return err
	}), "access log entry")
}
