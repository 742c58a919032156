package tracking

import (
	"encoding/json"
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
