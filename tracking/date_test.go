package tracking

import (
	"errors"
	"strings"
	"testing"
)

func TestDateFromParts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, day, month, year string
		want, err              string
	}{
		{"OK", "24", "12", "1931", "1931-12-24", ""},
		{"OKSingleDigitsAndSpaces", " 2 ", "3", "2001", "2001-03-02", ""},
		{"OKLeapDay", "29", "2", "2000", "2000-02-29", ""},
		{"NothingGiven", "", " ", "", "", ""},
		{"ErrPartMissing", "24", "", "1931", "", "as numbers"},
		{"ErrLetters", "24", "Dec", "1931", "", "as numbers"},
		{"ErrTwoDigitYear", "24", "12", "31", "", "four digits"},
		{"ErrMonth", "24", "13", "1931", "", "1 to 12"},
		{"ErrNoSuchDay", "30", "2", "1931", "", "February 1931 has no day 30"},
		{"ErrNotLeapYear", "29", "2", "1900", "", "February 1900 has no day 29"},
		{"ErrDayZero", "0", "5", "1931", "", "May 1931 has no day 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := DateFromParts("birth_date", tt.day, tt.month, tt.year)
			switch {
			case tt.err != "":
				var e *Error
				if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.As(err, &e) || e.Field != "birth_date" {
					t.Errorf("DateFromParts = %v, %v; want an error on birth_date saying %q", d, err, tt.err)
				}
			case err != nil:
				t.Errorf("DateFromParts: %v", err)
			case tt.want == "" && d != nil, tt.want != "" && (d == nil || d.String() != tt.want):
				t.Errorf("DateFromParts = %v, want %q", d, tt.want)
			}
		})
	}
}
