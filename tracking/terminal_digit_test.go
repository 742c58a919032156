package tracking

import (
	"slices"
	"testing"
)

func TestTerminalDigitKey(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"607458", "587460000000000000000000"},
		{"H607458", "587460000000000000000000"},
		{"RX1/234", "341200000000000000000000"}, // 12-34: non-digits ignored
		{"12345", "452301000000000000000000"},   // 01-23-45: an odd leading digit paired with 0
		{"", "000000000000000000000000"},
		{"ABC", "000000000000000000000000"},
	}
	for _, tc := range tests {
		if got := TerminalDigitKey(tc.in); got != tc.want {
			t.Errorf("TerminalDigitKey(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func shelfVols(hns ...string) []*Volume {
	out := make([]*Volume, len(hns))
	for i, hn := range hns {
		out[i] = &Volume{ID: int64(i + 1), Barcode: "V" + hn, Number: 1, Patient: &Patient{HospitalNumber: hn}}
	}
	return out
}

func hospitalNumbers(vs []*Volume) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Patient.HospitalNumber
	}
	return out
}

// DOMAIN.md's sorted example: 42-32-13, 13-24-66, 52-24-66, 42-32-66.
func TestSortForShelf(t *testing.T) {
	t.Parallel()
	vs := shelfVols("423266", "132466", "423213", "522466")
	SortForShelf(vs)
	if got, want := hospitalNumbers(vs), []string{"423213", "132466", "522466", "423266"}; !slices.Equal(got, want) {
		t.Errorf("shelf order %v, want %v", got, want)
	}
}

func TestProbableMisfiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		scanned []string
		want    []string // misfiled, each "before<volume>after"
	}{
		{"InOrder", []string{"100010", "200010", "100011", "100012"}, nil},
		{"OneOutOfPlace", []string{"100010", "100011", "100055", "100012", "100013"}, []string{"100011<100055>100012"}},
		{"WalkedBackwards", []string{"100013", "100012", "100044", "100011", "100010"}, []string{"100012<100044>100011"}},
		{"AtTheStart", []string{"100099", "100010", "100011", "100012"}, []string{"<100099>100010"}},
		{"FreeSlotShelvesFlagNothing", []string{"100050", "100010", "100090", "100020", "100070", "100030"}, nil},
		{"VolumesOfOnePatientTogether", []string{"100010", "100010", "100011"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, m := range ProbableMisfiles(shelfVols(tc.scanned...)) {
				s := ""
				if m.Before != nil {
					s = m.Before.Patient.HospitalNumber
				}
				s += "<" + m.Volume.Patient.HospitalNumber + ">"
				if m.After != nil {
					s += m.After.Patient.HospitalNumber
				}
				got = append(got, s)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("misfiles %v, want %v", got, tc.want)
			}
		})
	}
}
