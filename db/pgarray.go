package db

import (
	"database/sql/driver"
	"strconv"
	"strings"
	"time"
)

// textArray passes a list of strings to PostgreSQL as one text[] parameter
// ("= ANY(?::text[])") instead of gorm's expansion into one parameter per
// item: the statement text stays the same whatever the list's length, so
// it is planned once, and the plan keeps to the indexes.
type textArray []string

// Value renders the array literal, quoting every element.
func (a textArray) Value() (driver.Value, error) {
	quote := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return arrayLiteral(a, func(s string) string { return `"` + quote.Replace(s) + `"` }), nil
}

// intArray is textArray for ids.
type intArray []int64

// Value renders the array literal.
func (a intArray) Value() (driver.Value, error) {
	return arrayLiteral(a, func(v int64) string { return strconv.FormatInt(v, 10) }), nil
}

func arrayLiteral[T any](items []T, format func(T) string) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = format(it)
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// inList is "col IN ?" with its argument, written for the dialect as one
// parameter: an array on PostgreSQL, a JSONB array read with json_each on
// SQLite (a thousand placeholders cost more to bind than the look-up, and
// a text that changed with the list's length would be parsed for each).
func inList[T string | int64](dialect, col string, values []T) (string, any) {
	if dialect != Postgres {
		if len(values) == 1 {
			return col + " = ?", values[0]
		}
		return col + " IN (SELECT value FROM json_each(?))", jsonList(values)
	}
	switch v := any(values).(type) {
	case []string:
		return col + " = ANY(?::text[])", textArray(v)
	case []int64:
		return col + " = ANY(?::int8[])", intArray(v)
	}
	return col + " IN ?", values
}

// timeArray is textArray for instants, written in UTC with microseconds.
type timeArray []time.Time

// Value renders the array literal.
func (a timeArray) Value() (driver.Value, error) {
	return arrayLiteral(a, func(t time.Time) string { return `"` + t.UTC().Format("2006-01-02 15:04:05.999999Z07:00") + `"` }), nil
}
