package tracking

import (
	"bytes"
	"encoding/json"
	"time"
)

// Timestamp is an instant as the API shows it: RFC 3339 in UTC with its
// fraction kept. Times sent with milliseconds (as browsers and most devices
// send them) are echoed with exactly three digits; finer ones with six.
type Timestamp struct{ time.Time }

// TimestampOf wraps t, dropping what PostgreSQL cannot keep (below a
// microsecond) so that both databases give back the same instant.
func TimestampOf(t time.Time) Timestamp {
	if t.IsZero() {
		return Timestamp{}
	}
	return Timestamp{t.UTC().Truncate(time.Microsecond)}
}

// Format writes the timestamp the way the API does.
func (t Timestamp) Format() string { return t.UTC().Format(t.layout()) }

// layout keeps three digits of fraction for a whole millisecond, six else.
func (t Timestamp) layout() string {
	if t.Nanosecond()%int(time.Millisecond) == 0 {
		return "2006-01-02T15:04:05.000Z07:00"
	}
	return "2006-01-02T15:04:05.000000Z07:00"
}

// MarshalJSON writes the timestamp, or null when it is unset.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	return t.appendJSON(nil), nil
}

// UnmarshalJSON reads an RFC 3339 time (with or without a fraction).
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = Timestamp{}
		return nil
	}
	var s string
	if n := len(b); n >= 2 && b[0] == '"' && b[n-1] == '"' && !bytes.ContainsAny(b[1:n-1], "\\\"") {
		s = string(b[1 : n-1]) // the usual case, with nothing to unescape
	} else if err := json.Unmarshal(b, &s); err != nil {
		return FieldError("scanned_at", "Times must be RFC 3339 strings, e.g. 2026-11-22T09:30:00.000Z.")
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return FieldError("scanned_at", "Time %q is not RFC 3339 (e.g. 2026-11-22T09:30:00.000Z).", s)
	}
	*t = TimestampOf(v)
	return nil
}
