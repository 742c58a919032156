package db

import (
	"strconv"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// sqliteRows gathers the rows a SQLite statement writes, for one of two
// shapes of statement. Many rows travel as one JSON parameter, a JSON array
// of arrays read with jsonb_each: the SQLite driver prepares a statement
// again every time it runs it and copies every text parameter into C memory
// one by one, so a statement of many rows with a placeholder per value cost
// more to parse and bind than to execute. A lone row (a single scan) is
// cheaper still as plain placeholders, which it keeps as well.
type sqliteRows struct {
	b     []byte
	rows  int
	cols  int
	first []any // the first row's values, as placeholders take them
}

func newSQLiteRows(sizeHint int) *sqliteRows {
	return &sqliteRows{b: append(make([]byte, 0, sizeHint), '[')}
}

// row starts the next row.
func (j *sqliteRows) row() *sqliteRows {
	if j.rows > 0 {
		j.b = append(j.b, ']', ',')
	}
	j.b = append(j.b, '[')
	j.rows++
	j.cols = 0
	return j
}

func (j *sqliteRows) sep(v any) {
	if j.cols > 0 {
		j.b = append(j.b, ',')
	}
	j.cols++
	if j.rows == 1 {
		j.first = append(j.first, v)
	}
}

func (j *sqliteRows) str(s string) *sqliteRows {
	j.sep(s)
	j.b = tracking.AppendJSONString(j.b, s)
	return j
}

func (j *sqliteRows) int(v int64) *sqliteRows {
	j.sep(v)
	j.b = strconv.AppendInt(j.b, v, 10)
	return j
}

func (j *sqliteRows) intOrNull(v *int64) *sqliteRows {
	if v != nil {
		return j.int(*v)
	}
	j.sep(nil)
	j.b = append(j.b, "null"...)
	return j
}

// time writes t as the driver itself writes a time.Time parameter, so
// rows written either way sort and read back alike.
func (j *sqliteRows) time(t time.Time) *sqliteRows {
	j.sep(t)
	j.b = append(j.b, '"')
	j.b = t.AppendFormat(j.b, sqliteTimeLayout)
	j.b = append(j.b, '"')
	return j
}

// json is the rows as one JSON array, ready to bind.
func (j *sqliteRows) json() string {
	if j.rows > 0 {
		j.b = append(j.b, ']')
	}
	j.b = append(j.b, ']')
	return string(j.b)
}

// sqliteWrite is a statement that writes rows, in both shapes: one with a
// placeholder per value for a lone row, and many reading value->>n of
// jsonb_each(?) for any other number.
//
// An insert of many rows numbers them itself, from the table's next free
// id in list order (its first placeholder), so the ids follow the list
// without an ORDER BY: SQLite would sort the rows first, a sort that cost
// a tenth of a batch. The write transaction holds SQLite's one write lock,
// so no other writer can take those ids meanwhile.
type sqliteWrite struct {
	table     string // set for an insert whose many shape numbers its rows
	one, many string
	uses      []int // the row's columns the lone-row placeholders take, in order
}

// statement is the text and arguments that write rows in tx.
func (w sqliteWrite) statement(tx *gorm.DB, rows *sqliteRows) (string, []any, error) {
	if rows.rows != 1 {
		if w.table == "" {
			return w.many, []any{rows.json()}, nil
		}
		var next int64
		// The table name is one of this file's constants, never input.
		err := tx.Statement.ConnPool.QueryRowContext(tx.Statement.Context,
			"SELECT coalesce(max(id), 0) + 1 FROM "+w.table).Scan(&next)
		if err != nil {
			return "", nil, err
		}
		return w.many, []any{next, rows.json()}, nil
	}
	args := make([]any, len(w.uses))
	for i, c := range w.uses {
		args[i] = rows.first[c]
	}
	return w.one, args, nil
}

// jsonList is a list as a JSON array, for "IN (SELECT value FROM json_each(?))".
func jsonList[T string | int64](values []T) string {
	b := make([]byte, 0, 2+16*len(values))
	b = append(b, '[')
	for i, v := range values {
		if i > 0 {
			b = append(b, ',')
		}
		switch v := any(v).(type) {
		case string:
			b = tracking.AppendJSONString(b, v)
		case int64:
			b = strconv.AppendInt(b, v, 10)
		}
	}
	return string(append(b, ']'))
}

// sqliteTimeLayout is how the SQLite driver writes times.
const sqliteTimeLayout = "2006-01-02 15:04:05.999999999-07:00"
