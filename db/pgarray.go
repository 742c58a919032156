package db

import (
	"database/sql/driver"
	"strconv"
	"strings"
)

// textArray passes a list of strings to PostgreSQL as one text[] parameter
// ("= ANY(?::text[])") instead of gorm's expansion into one parameter per
// item: the statement text stays the same whatever the list's length, so
// it is planned once, and the plan keeps to the indexes.
type textArray []string

// Value renders the array literal, quoting every element.
func (a textArray) Value() (driver.Value, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, s := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String(), nil
}

// intArray is textArray for ids.
type intArray []int64

// Value renders the array literal.
func (a intArray) Value() (driver.Value, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, v := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(v, 10))
	}
	b.WriteByte('}')
	return b.String(), nil
}

// inList is "col IN ?" with its argument, written for the dialect: one
// array parameter on PostgreSQL, gorm's expanded list on SQLite.
func inList[T string | int64](dialect, col string, values []T) (string, any) {
	if dialect != Postgres {
		return col + " IN ?", values
	}
	switch v := any(values).(type) {
	case []string:
		return col + " = ANY(?::text[])", textArray(v)
	case []int64:
		return col + " = ANY(?::int8[])", intArray(v)
	}
	return col + " IN ?", values
}
