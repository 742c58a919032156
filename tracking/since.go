package tracking

import (
	"fmt"
	"time"
)

// HowLong says how long ago from was, at now, as people on a ward say it:
// "just now", "5 minutes", "3 hours", "8 days". It counts whole units
// down, so a folder that arrived 47 hours ago has been there "1 day",
// not "2 days". A time ahead of now (a device clock running fast) is
// "just now".
func HowLong(from, now time.Time) string {
	d := now.Sub(from)
	switch {
	case from.IsZero():
		return ""
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return count(int(d/time.Minute), "minute")
	case d < 24*time.Hour:
		return count(int(d/time.Hour), "hour")
	}
	return count(int(d/(24*time.Hour)), "day")
}

// count is n of a unit, with the unit's plural when n is not 1.
func count(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
