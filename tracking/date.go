package tracking

import (
	"encoding/json"
	"strings"
	"time"
)

// Date is a calendar date with no time or zone: a birth date must not move
// a day when a server's zone changes.
type Date struct{ time.Time }

// DateLayout is how dates travel in the API.
const DateLayout = "2006-01-02"

// ParseDate reads a YYYY-MM-DD date.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, Errorf(EINVALID, "Date %q must be written YYYY-MM-DD.", s)
	}
	return Date{t}, nil
}

// DateOf returns the calendar date of t in t's own zone.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

func (d Date) String() string { return d.Format(DateLayout) }

// Label formats the date as on wristbands: 24-Dec-1931.
func (d Date) Label() string { return d.Format("02-Jan-2006") }

// MarshalJSON writes the date as "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return d.appendJSON(nil), nil }

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return FieldError("date", "Dates must be strings written YYYY-MM-DD.")
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// DateFromParts reads a date typed as day, month and year in boxes of
// their own, the way people write a date of birth (24 12 1931): nil when
// all three are empty, else the date or an error naming field that says
// which part is wrong.
func DateFromParts(field, day, month, year string) (*Date, error) {
	day, month, year = strings.TrimSpace(day), strings.TrimSpace(month), strings.TrimSpace(year)
	if day == "" && month == "" && year == "" {
		return nil, nil
	}
	d, okD := smallNumber(day, 2)
	m, okM := smallNumber(month, 2)
	y, okY := smallNumber(year, 4)
	switch {
	case !okD || !okM || !okY:
		return nil, FieldError(field, "Give the day, month and year as numbers, such as 24 12 1931.")
	case len(year) != 4:
		return nil, FieldError(field, "Give the year with four digits, such as 1931.")
	case m < 1 || m > 12:
		return nil, FieldError(field, "The month must be a number from 1 to 12.")
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if d < 1 || t.Day() != d {
		return nil, FieldError(field, "%s has no day %d.", time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC).Format("January 2006"), d)
	}
	return &Date{t}, nil
}

// smallNumber reads at most size plain digits.
func smallNumber(s string, size int) (int, bool) {
	if s == "" || len(s) > size {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
