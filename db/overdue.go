package db

import (
	"context"
	"database/sql"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// awayStatuses are tracking.OverdueStatuses written into the queries.
const awayStatuses = `status IN ('active', 'closed', 'temporary')`

// awayColumns are what the overdue list shows of a volume and its patient,
// and who booked the volume where it is: the movement that brought it
// there is the one scanned at its arrival time (its index is on volume and
// scan time). Locations come from the service, which has them all.
const awayColumns = `SELECT v.id, v.patient_id, v.number, v.barcode, v.status, v.current_location_id, v.current_since,
	p.hospital_number, p.nhs_number, p.family_name, p.given_name, p.birth_date,
	(SELECT m.by_name FROM movements m WHERE m.volume_id = v.id AND m.scanned_at = v.current_since
		AND m.to_location_id = v.current_location_id ORDER BY m.id LIMIT 1) AS booked_by `

// awayFrom are the volumes at each location since before its cutoff, with
// their patients: on PostgreSQL one index range per location
// (volumes_current_location is on place and arrival time) and a patient
// look-up per volume, each behind OFFSET 0, which keeps the plan to the
// indexes whatever the planner knows; on SQLite the same joins over the
// cutoffs as JSONB, in that order (CROSS JOIN: SQLite keeps the order).
var awayFrom = map[string]string{
	Postgres: `FROM (SELECT x.* FROM unnest(?::int8[], ?::timestamptz[]) AS c(loc, before) CROSS JOIN LATERAL
		(SELECT * FROM volumes WHERE current_location_id = c.loc AND current_since < c.before AND ` + awayStatuses + `
		OFFSET 0) x) v
		JOIN LATERAL (SELECT * FROM patients p WHERE p.id = v.patient_id OFFSET 0) p ON true`,
	SQLite: `FROM jsonb_each(?) c CROSS JOIN volumes v INDEXED BY volumes_current_location CROSS JOIN patients p
		WHERE v.current_location_id = c.value->>0 AND v.current_since < c.value->>1 AND p.id = v.patient_id
		AND v.` + awayStatuses,
}

// FindAway returns the volumes at each cutoff's location since before it,
// with who booked each there. On PostgreSQL the query runs with JIT
// compilation off: the planner cannot know how many folders are overdue,
// guesses a third of each location's, and would spend a second compiling
// a query that takes a tenth of that.
func (db *DB) FindAway(ctx context.Context, cutoffs []tracking.AwayCutoff) ([]*tracking.AwayVolume, error) {
	if db.dialect == SQLite {
		rows := newSQLiteRows(40 * len(cutoffs))
		for _, c := range cutoffs {
			rows.row().int(c.LocationID).time(c.Before.UTC())
		}
		return db.findAway(ctx, db.gorm.Statement.ConnPool.QueryContext, rows.jsonb())
	}
	locs, befores := make([]int64, len(cutoffs)), make([]time.Time, len(cutoffs))
	for i, c := range cutoffs {
		locs[i], befores[i] = c.LocationID, c.Before.UTC()
	}
	sqlDB, err := db.gorm.DB()
	if err != nil {
		return nil, err
	}
	tx, err := sqlDB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, translate(err, "volume")
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "SET LOCAL jit = off"); err != nil {
		return nil, translate(err, "volume")
	}
	return db.findAway(ctx, tx.QueryContext, intArray(locs), timeArray(befores))
}

// queryFunc runs a query on a pool or in a transaction.
type queryFunc func(ctx context.Context, query string, args ...any) (*sql.Rows, error)

func (db *DB) findAway(ctx context.Context, query queryFunc, args ...any) ([]*tracking.AwayVolume, error) {
	rows, err := query(ctx, db.rebind(awayColumns+awayFrom[db.dialect]), args...)
	if err != nil {
		return nil, translate(err, "volume")
	}
	defer rows.Close()
	var out []*tracking.AwayVolume
	for rows.Next() {
		a, err := scanAway(rows)
		if err != nil {
			return nil, translate(err, "volume")
		}
		out = append(out, a)
	}
	return out, translate(rows.Err(), "volume")
}

func scanAway(rows *sql.Rows) (*tracking.AwayVolume, error) {
	var v tracking.Volume
	var p tracking.Patient
	var barcode, nhs, by *string
	var since time.Time
	var birth *time.Time
	if err := rows.Scan(&v.ID, &v.PatientID, &v.Number, &barcode, &v.Status, &v.CurrentID, &since,
		&p.HospitalNumber, &nhs, &p.FamilyName, &p.GivenName, &birth, &by); err != nil {
		return nil, err
	}
	v.Barcode, v.Since = deref(barcode), tracking.TimestampOf(since)
	p.ID, p.NHSNumber, p.BirthDate = v.PatientID, deref(nhs), date(birth)
	v.Patient = &p
	return &tracking.AwayVolume{Volume: &v, BookedBy: deref(by)}, nil
}
