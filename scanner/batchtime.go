package scanner

import (
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/London must load even in a scratch container
)

// defaultZone is where batch scanners' clocks are set when the upload does
// not say: casetrack is for NHS trusts.
var defaultZone = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
})

// Layouts seen in scanner exports. Day-first: these are UK devices, and an
// ambiguous 03/04 is the 3rd of April. Go accepts one or two digits for
// "2", "1" and "15", and a fraction after the seconds, when parsing.
var (
	dateLayouts  = []string{"2/1/2006", "2-1-2006", "2.1.2006", "2006-1-2", "2006/1/2"}
	clockLayouts = []string{"15:04:05", "15:04"}
	zonedLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04:05Z0700"}
	localLayouts = []string{
		"2006-1-2T15:04:05", "2006-1-2T15:04", "2006-1-2 15:04:05", "2006-1-2 15:04",
		"2/1/2006 15:04:05", "2/1/2006 15:04", "2-1-2006 15:04:05", "2.1.2006 15:04:05",
		"2006/1/2 15:04:05",
	}
)

// parseDate reads a date alone, as midnight in loc.
func parseDate(s string, loc *time.Location) (time.Time, bool) {
	return parseAny(strings.TrimSpace(s), dateLayouts, loc)
}

// parseClock reads a time of day alone, as an offset from midnight.
func parseClock(s string) (time.Duration, bool) {
	t, ok := parseAny(strings.TrimSpace(s), clockLayouts, time.UTC)
	if !ok {
		return 0, false
	}
	return t.Sub(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)), true
}

// parseDateTime reads a date and time in one field: with a zone or offset
// (ISO 8601 / RFC 3339) as written, without one in loc.
func parseDateTime(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range zonedLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return parseAny(s, localLayouts, loc)
}

func parseAny(s string, layouts []string, loc *time.Location) (time.Time, bool) {
	for _, layout := range layouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// atClock returns the date d (midnight in its zone) at the time of day c,
// resolved in d's zone so that the clocks-change days come out right.
func atClock(d time.Time, c time.Duration) time.Time {
	h, m := int(c/time.Hour), int(c%time.Hour/time.Minute)
	sec, ns := int(c%time.Minute/time.Second), int(c%time.Second)
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, sec, ns, d.Location())
}
