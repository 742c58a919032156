package hl7

import (
	"errors"
	"strings"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

var errBadTime = errors.New("not an HL7 date/time")

// parseTime reads an HL7 date/time (TS or DTM):
// YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ]. A time sent without an offset is
// a wall-clock time in loc, which is how PAS systems on site send them. It
// returns how many digits the date and time part had (8 for a date alone),
// so callers can ask for the precision they need.
func parseTime(s string, loc *time.Location) (time.Time, int, error) {
	body, zone := strings.TrimSpace(s), ""
	if i := strings.IndexAny(body, "+-"); i >= 0 {
		body, zone = body[:i], body[i:]
	}
	body, frac, hasFrac := strings.Cut(body, ".")
	n := len(body)
	if n < 4 || n > 14 || n%2 != 0 || !allDigits(body) || hasFrac && (n != 14 || len(frac) > 9 || !allDigits(frac)) {
		return time.Time{}, 0, errBadTime
	}
	if zone != "" {
		off, ok := parseOffset(zone)
		if !ok {
			return time.Time{}, 0, errBadTime
		}
		loc = time.FixedZone("", off)
	}
	if loc == nil {
		loc = time.Local
	}
	p := [6]int{0, 1, 1, 0, 0, 0} // year, month, day, hour, minute, second
	p[0] = atoi(body[:4])
	for i := 1; 4+i*2 <= n; i++ {
		p[i] = atoi(body[2+i*2 : 4+i*2])
	}
	if !validClock(p) {
		return time.Time{}, 0, errBadTime
	}
	ns := atoi((frac + "000000000")[:9])
	return time.Date(p[0], time.Month(p[1]), p[2], p[3], p[4], p[5], ns, loc), n, nil
}

// validClock checks a date and time field by field, so that a day that
// does not exist is refused rather than rolled into the next month.
func validClock(p [6]int) bool {
	if p[1] < 1 || p[1] > 12 || p[3] > 23 || p[4] > 59 || p[5] > 59 {
		return false
	}
	days := time.Date(p[0], time.Month(p[1])+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return p[2] >= 1 && p[2] <= days
}

// parseOffset reads +HHMM or -HHMM into seconds east of UTC.
func parseOffset(s string) (int, bool) {
	if len(s) != 5 || !allDigits(s[1:]) {
		return 0, false
	}
	h, m := atoi(s[1:3]), atoi(s[3:])
	if h > 14 || m > 59 {
		return 0, false
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	return off, true
}

// parseDate reads the calendar date at the start of an HL7 date/time,
// which must give at least the day; any time and offset are ignored, as a
// birth date is a date wherever it is read.
func parseDate(s string) (tracking.Date, error) {
	t, n, err := parseTime(s, time.UTC)
	if err != nil || n < 8 {
		return tracking.Date{}, errBadTime
	}
	return tracking.DateOf(t), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoi reads a run of digits already checked by allDigits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
