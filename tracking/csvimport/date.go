package csvimport

import (
	"strings"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// parseDate reads a date as exports write it: YYYY-MM-DD, or DD/MM/YYYY
// day first (these are UK files) with one or two digits for the day and
// the month. A time of exactly midnight after it (" 00:00" or
// " 00:00:00", which spreadsheets add) is allowed.
func parseDate(s string) (tracking.Date, bool) {
	s = strings.TrimSuffix(strings.TrimSuffix(s, " 00:00:00"), " 00:00")
	var ys, ms, ds string
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		ys, ms, ds = s[:4], s[5:7], s[8:]
	} else {
		var rest string
		var ok1, ok2 bool
		ds, rest, ok1 = strings.Cut(s, "/")
		ms, ys, ok2 = strings.Cut(rest, "/")
		if !ok1 || !ok2 || len(ds) > 2 || len(ms) > 2 || len(ys) != 4 {
			return tracking.Date{}, false
		}
	}
	y, m, d := digits(ys), digits(ms), digits(ds)
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if y < 1 || t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return tracking.Date{}, false
	}
	return tracking.Date{Time: t}, true
}

// digits reads a short run of ASCII digits; -1 when s is empty or holds
// anything else.
func digits(s string) int {
	if s == "" {
		return -1
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// optionalDate reads an empty cell as no date, and refuses a date it
// cannot read, naming the column.
func optionalDate(field, label, s string) (*tracking.Date, error) {
	if s == "" {
		return nil, nil
	}
	d, ok := parseDate(s)
	if !ok {
		return nil, tracking.FieldError(field, "%s %q is not a date: write YYYY-MM-DD or DD/MM/YYYY.", label, s)
	}
	return &d, nil
}
