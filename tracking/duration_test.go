package tracking

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want time.Duration
		ok   bool
	}{
		{"OKDays", "7d", 7 * 24 * time.Hour, true},
		{"OKOneDay", "1d", 24 * time.Hour, true},
		{"OKZeroDays", "0d", 0, true},
		{"OKSpaces", " 2d ", 48 * time.Hour, true},
		{"OKGoMinutes", "90m", 90 * time.Minute, true},
		{"OKGoMixed", "1h30m", 90 * time.Minute, true},
		{"OKGoSeconds", "2s", 2 * time.Second, true},
		{"OKGoHours", "36h", 36 * time.Hour, true},
		{"OKCentury", "36500d", 36500 * 24 * time.Hour, true},
		{"ErrTooManyDays", "36501d", 0, false},
		{"ErrHugeDays", "99999999999999999999d", 0, false},
		{"ErrFractionalDays", "1.5d", 0, false},
		{"ErrDaysAndHours", "1d12h", 0, false},
		{"ErrNegativeDays", "-1d", 0, false},
		{"ErrBareD", "d", 0, false},
		{"ErrEmpty", "", 0, false},
		{"ErrNoUnit", "7", 0, false},
		{"ErrWords", "a week", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("ParseDuration(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}
