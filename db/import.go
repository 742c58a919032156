package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// importTx runs one batch of an import. On PostgreSQL the transaction is
// REPEATABLE READ: the batch is decided from what it read, and a row that
// another transaction changed after that read fails the batch (a
// serialisation failure) instead of being overwritten; the batch is then
// decided again (ECONFLICT). A dry run only reads: in a read-only
// transaction on PostgreSQL, outside the one writer on SQLite.
func (db *DB) importTx(ctx context.Context, dryRun bool, fn func(tx *gorm.DB) error) error {
	var err error
	switch {
	case db.dialect == Postgres:
		opts := &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: dryRun}
		err = db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			// The planner compiles a batch's large look-ups to machine
			// code, which costs more than running them.
			if err := db.runner(tx).exec("SET LOCAL jit = off"); err != nil {
				return err
			}
			return fn(tx)
		}, opts)
	case dryRun:
		err = fn(db.gorm.WithContext(ctx))
	default:
		err = db.tx(ctx, fn)
	}
	if retryable(err) {
		return tracking.Errorf(tracking.ECONFLICT, "These records were changed by someone else while they were imported.")
	}
	return translate(err, "record with this key (another was stored meanwhile)")
}

// nextIDs reserves n ids of a table for rows that need their id before
// they are written (a volume's barcode is made from it). On PostgreSQL they
// come from the table's sequence (and may have gaps, as other sessions
// take ids too); SQLite's one writer holds the table, so the ids after the
// highest are free.
func (db *DB) nextIDs(tx *gorm.DB, table string, n int) ([]int64, error) {
	out := make([]int64, 0, n)
	if db.dialect != Postgres {
		var first int64
		err := tx.Statement.ConnPool.QueryRowContext(tx.Statement.Context, "SELECT coalesce(max(id), 0) + 1 FROM "+table).Scan(&first)
		for i := range n {
			out = append(out, first+int64(i))
		}
		return out, err
	}
	return queryAll(db.runner(tx), func(scan scanFunc) (id int64, err error) { return id, scan(&id) },
		"SELECT nextval('"+table+"_id_seq') FROM generate_series(1, ?)", n)
}

// listParam passes a list as one parameter: an array on PostgreSQL
// ("?::text[]"), a JSONB array on SQLite ("json_each(?)").
func listParam[T string | int64](dialect string, values []T) any {
	if dialect != Postgres {
		return jsonList(values)
	}
	switch v := any(values).(type) {
	case []string:
		return textArray(v)
	case []int64:
		return intArray(v)
	}
	return nil
}

// pgArray is a column of a batch for PostgreSQL's unnest whose empty
// values are NULL (textArray's are empty strings), written as an array
// literal: an element per row, cast by the statement ("?::date[]").
type pgArray []string

// Value renders the array literal.
func (a pgArray) Value() (driver.Value, error) {
	quote := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return arrayLiteral(a, func(s string) string {
		if s == "" {
			return "NULL"
		}
		return `"` + quote.Replace(s) + `"`
	}), nil
}

// pgDate is a date as a pgArray element.
func pgDate(d *tracking.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// pgTime is a time as a pgArray element.
func pgTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// null writes a JSONB null as the row's next value.
func (j *sqliteRows) null() *sqliteRows {
	j.keep(nil)
	j.b = append(j.b, jsonbNull)
	return j
}

// strOrNull writes s, or null when it is empty.
func (j *sqliteRows) strOrNull(s string) *sqliteRows {
	if s == "" {
		return j.null()
	}
	return j.str(s)
}

// dateOrNull writes a date as the driver writes its time, or null.
func (j *sqliteRows) dateOrNull(d *tracking.Date) *sqliteRows {
	if d == nil {
		return j.null()
	}
	return j.time(d.Time)
}
