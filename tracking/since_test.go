package tracking

import (
	"testing"
	"time"
)

func TestHowLong(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		ago  time.Duration
		want string
	}{
		{"JustNow", 0, "just now"},
		{"UnderAMinute", 59 * time.Second, "just now"},
		{"ClockAhead", -10 * time.Minute, "just now"},
		{"OneMinute", time.Minute, "1 minute"},
		{"Minutes", 59*time.Minute + 59*time.Second, "59 minutes"},
		{"OneHour", time.Hour, "1 hour"},
		{"Hours", 3*time.Hour + 40*time.Minute, "3 hours"},
		{"DayRoundsDown", 47 * time.Hour, "1 day"},
		{"Days", 8*24*time.Hour + 5*time.Hour, "8 days"},
		{"Years", 800 * 24 * time.Hour, "800 days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HowLong(now.Add(-tt.ago), now); got != tt.want {
				t.Errorf("HowLong(%v ago) = %q, want %q", tt.ago, got, tt.want)
			}
		})
	}
	if got := HowLong(time.Time{}, now); got != "" {
		t.Errorf("HowLong(zero) = %q, want empty", got)
	}
}
