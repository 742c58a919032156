package tracking

import "testing"

func TestParseVolumeNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     int
	}{
		{"OKOne", "1", 1},
		{"OKLeadingZeros", "007", 7},
		{"OKMax", "999", MaxVolumeNumber},
		{"ErrEmpty", "", 0},
		{"ErrZero", "0", 0},
		{"ErrTooLarge", "1000", 0},
		{"ErrVeryLong", "99999999999999999999999", 0},
		{"ErrNegative", "-1", 0},
		{"ErrDecimal", "1.5", 0},
		{"ErrSpace", "1 ", 0},
		{"ErrLetters", "two", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseVolumeNumber(tc.in)
			if got != tc.want {
				t.Errorf("ParseVolumeNumber(%q) = %d, want %d", tc.in, got, tc.want)
			}
			wantErr := tc.want == 0
			if (err != nil) != wantErr || (err != nil && fieldOf(err) != "volume_number") {
				t.Errorf("ParseVolumeNumber(%q) error %v, want error %v on volume_number", tc.in, err, wantErr)
			}
		})
	}
}

func TestValidateVolumeStatus(t *testing.T) {
	t.Parallel()
	for _, st := range VolumeStatuses {
		if err := ValidateVolumeStatus(st); err != nil {
			t.Errorf("ValidateVolumeStatus(%q) = %v, want nil", st, err)
		}
	}
	for _, st := range []VolumeStatus{"", "Active", "lost", "active "} {
		if err := ValidateVolumeStatus(st); fieldOf(err) != "status" {
			t.Errorf("ValidateVolumeStatus(%q) = %v, want an error on status", st, err)
		}
	}
}

func fieldOf(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Field
	}
	return ""
}
