package hl7

import (
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	t.Parallel()
	london := time.FixedZone("BST", 3600)
	tests := []struct {
		name, in string
		want     time.Time
		digits   int
	}{
		{"Year", "2026", time.Date(2026, 1, 1, 0, 0, 0, 0, london), 4},
		{"Month", "202612", time.Date(2026, 12, 1, 0, 0, 0, 0, london), 6},
		{"Date", "20261215", time.Date(2026, 12, 15, 0, 0, 0, 0, london), 8},
		{"Minute", "202612150930", time.Date(2026, 12, 15, 9, 30, 0, 0, london), 12},
		{"SecondLocal", "20261215093000", time.Date(2026, 12, 15, 9, 30, 0, 0, london), 14},
		{"Fraction", "20261215093000.25", time.Date(2026, 12, 15, 9, 30, 0, 250000000, london), 14},
		{"OffsetUTC", "20261215093000+0000", time.Date(2026, 12, 15, 9, 30, 0, 0, time.UTC), 14},
		{"OffsetWest", "202612150930-0500", time.Date(2026, 12, 15, 14, 30, 0, 0, time.UTC), 12},
		{"OffsetAfterFraction", "20260701093000.1234+0100", time.Date(2026, 7, 1, 8, 30, 0, 123400000, time.UTC), 14},
		{"Spaces", " 20261215 ", time.Date(2026, 12, 15, 0, 0, 0, 0, london), 8},
		{"LeapDay", "20280229", time.Date(2028, 2, 29, 0, 0, 0, 0, london), 8},
	}
	for _, tt := range tests {
		got, n, err := parseTime(tt.in, london)
		if err != nil || !got.Equal(tt.want) || n != tt.digits {
			t.Errorf("%s: parseTime(%q) = %v, %d, %v; want %v, %d", tt.name, tt.in, got, n, err, tt.want, tt.digits)
		}
	}
}

func TestParseTimeRefused(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"", "26", "20261", "2026121", "202612150", "202612150930001", "2026-12-15", "15/12/2026",
		"20261315", "20261232", "20270229", "20261215240000", "20261215096000", "20261215093060",
		"202612150930.5", "20261215093000.", "20261215093000.1234567890", "20261215093000+01",
		"20261215093000+1500", "20261215093000+0160", "20261215093000Z", "2026121509300a", "+0100",
	} {
		if got, _, err := parseTime(in, time.UTC); err == nil {
			t.Errorf("parseTime(%q) = %v, want an error", in, got)
		}
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"19310824", "1931-08-24"},
		{"193108241200", "1931-08-24"},
		{"19310824233000-1100", "1931-08-24"}, // the date as written, wherever it is read
		{"19310824000000+1400", "1931-08-24"},
	}
	for _, tt := range tests {
		got, err := parseDate(tt.in)
		if err != nil || got.String() != tt.want {
			t.Errorf("parseDate(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"1931", "193108", "19310231", "24/08/1931"} {
		if got, err := parseDate(in); err == nil {
			t.Errorf("parseDate(%q) = %v, want an error", in, got)
		}
	}
}
