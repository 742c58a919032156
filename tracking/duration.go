package tracking

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// maxDays bounds a duration given in days: a century is longer than any
// loan period or lead time a library keeps, and far from overflowing.
const maxDays = 36_500

// ParseDuration reads a duration as a trust's settings give one: as Go
// writes it ("90m", "1h30m", "2s") or in whole days ("7d"), because loan
// periods and other library rules are counted in days.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok && days != "" && allDigits(days) {
		n, err := strconv.Atoi(days)
		if err != nil || n > maxDays {
			return 0, fmt.Errorf("%q: give at most %d days", s, maxDays)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as 90m, 36h or 7d", s)
	}
	return d, nil
}
