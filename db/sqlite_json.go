package db

import (
	"database/sql/driver"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// sqliteRows gathers the rows a SQLite statement writes, for one of two
// shapes of statement. Many rows travel as one parameter, an array of
// arrays in SQLite's binary JSON (JSONB) read with jsonb_each: the SQLite
// driver copies every parameter into C memory one by one, so a statement
// of many rows with a placeholder per value cost more to bind than to
// execute, and its text, which would change with the number of rows, would
// be parsed again for every size; JSON text would be parsed into JSONB
// first, a tenth of a batch's time. A lone row (a single scan) is cheaper
// still as plain placeholders, which it keeps as well.
type sqliteRows struct {
	b      []byte
	rows   int
	rowAt  int   // where the open row's header starts
	first  []any // the first row's values, as placeholders take them
	digits [40]byte
}

// JSONB element types (https://sqlite.org/jsonb.html).
const (
	jsonbNull    = 0x0
	jsonbInt     = 0x3
	jsonbTextRaw = 0xA // text as it is, escaped only when rendered as JSON
	jsonbArray   = 0xB
)

// jsonbOpenHeader is the header of an array whose size is not known yet:
// the widest form, a four-byte size, patched when the array closes.
// JSONB allows a header wider than its size needs.
const jsonbOpenHeader = 5

func newSQLiteRows(sizeHint int) *sqliteRows {
	j := &sqliteRows{b: make([]byte, 0, sizeHint+jsonbOpenHeader)}
	j.b = appendOpenArray(j.b)
	return j
}

func appendOpenArray(b []byte) []byte {
	return append(b, 0xe0|jsonbArray, 0, 0, 0, 0)
}

// closeArray writes the size of the array whose header is at b[at:].
func closeArray(b []byte, at int) {
	n := len(b) - at - jsonbOpenHeader
	b[at+1], b[at+2], b[at+3], b[at+4] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
}

// appendJSONBHeader appends the header of an element of type t whose
// payload is n bytes long, in its shortest form.
func appendJSONBHeader(b []byte, t byte, n int) []byte {
	switch {
	case n <= 11:
		return append(b, byte(n)<<4|t)
	case n <= 0xff:
		return append(b, 0xc0|t, byte(n))
	case n <= 0xffff:
		return append(b, 0xd0|t, byte(n>>8), byte(n))
	}
	return append(b, 0xe0|t, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

// row starts the next row.
func (j *sqliteRows) row() *sqliteRows {
	if j.rows > 0 {
		closeArray(j.b, j.rowAt)
	}
	j.rowAt = len(j.b)
	j.b = appendOpenArray(j.b)
	j.rows++
	return j
}

// keep notes a value of the row being written: the first row's values are
// kept for the lone-row statement's placeholders.
func (j *sqliteRows) keep(v any) {
	if j.rows == 1 {
		j.first = append(j.first, v)
	}
}

func (j *sqliteRows) str(s string) *sqliteRows {
	j.keep(s)
	j.b = appendJSONBHeader(j.b, jsonbTextRaw, len(s))
	j.b = append(j.b, s...)
	return j
}

func (j *sqliteRows) int(v int64) *sqliteRows {
	j.keep(v)
	d := strconv.AppendInt(j.digits[:0], v, 10)
	j.b = appendJSONBHeader(j.b, jsonbInt, len(d))
	j.b = append(j.b, d...)
	return j
}

func (j *sqliteRows) intOrNull(v *int64) *sqliteRows {
	if v != nil {
		return j.int(*v)
	}
	j.keep(nil)
	j.b = append(j.b, jsonbNull)
	return j
}

// time writes t as the driver itself writes a time.Time parameter, so
// rows written either way sort and read back alike.
func (j *sqliteRows) time(t time.Time) *sqliteRows {
	j.keep(t)
	d := t.AppendFormat(j.digits[:0], sqliteTimeLayout)
	j.b = appendJSONBHeader(j.b, jsonbTextRaw, len(d))
	j.b = append(j.b, d...)
	return j
}

// jsonb is the rows as one JSONB array, ready to bind.
func (j *sqliteRows) jsonb() jsonbParam {
	if j.rows > 0 {
		closeArray(j.b, j.rowAt)
	}
	closeArray(j.b, 0)
	return jsonbParam(j.b)
}

// jsonbParam binds as one BLOB: gorm would spread a bare []byte over a
// list of placeholders.
type jsonbParam []byte

func (p jsonbParam) Value() (driver.Value, error) { return []byte(p), nil }

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

// run writes the rows in tx, if there are any, and says how many it
// stored: SQLite counts only the rows an ON CONFLICT DO NOTHING insert
// kept, so a short count from the scan insert means scan ids stored
// meanwhile, without reading a row back per scan as RETURNING would (which
// took twice as long).
func (w sqliteWrite) run(tx *gorm.DB, rows *sqliteRows) (int, error) {
	if rows.rows == 0 {
		return 0, nil
	}
	sql, args, err := w.statement(tx, rows)
	if err != nil {
		return 0, err
	}
	res := tx.Exec(sql, args...)
	return int(res.RowsAffected), res.Error
}

// statement is the text and arguments that write rows in tx.
func (w sqliteWrite) statement(tx *gorm.DB, rows *sqliteRows) (string, []any, error) {
	if rows.rows != 1 {
		if w.table == "" {
			return w.many, []any{rows.jsonb()}, nil
		}
		var next int64
		// The table is one of the fixed writes' own, never input.
		err := tx.Statement.ConnPool.QueryRowContext(tx.Statement.Context,
			"SELECT coalesce(max(id), 0) + 1 FROM "+w.table).Scan(&next)
		if err != nil {
			return "", nil, err
		}
		return w.many, []any{next, rows.jsonb()}, nil
	}
	args := make([]any, len(w.uses))
	for i, c := range w.uses {
		args[i] = rows.first[c]
	}
	return w.one, args, nil
}

// jsonList is a list as a JSONB array, for "IN (SELECT value FROM json_each(?))".
func jsonList[T string | int64](values []T) jsonbParam {
	j := newSQLiteRows(16 * len(values))
	for _, v := range values {
		switch v := any(v).(type) {
		case string:
			j.str(v)
		case int64:
			j.int(v)
		}
	}
	return j.jsonb()
}

// sqliteTimeLayout is how the SQLite driver writes times.
const sqliteTimeLayout = "2006-01-02 15:04:05.999999999-07:00"
