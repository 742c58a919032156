package csvimport

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/casetrack/casetrack/tracking"
)

// fakeImporter accepts every patient but those it refuses by hospital
// number, and fails once it has seen failAfter rows (when set).
type fakeImporter struct {
	mu        sync.Mutex
	refuse    string
	failAfter int
	seen      int
	batches   int
}

func (f *fakeImporter) Locations(context.Context, []LocationRow) (tracking.ImportCounts, error) {
	return tracking.ImportCounts{}, nil
}

func (f *fakeImporter) Volumes(context.Context, []VolumeRow) (tracking.ImportCounts, error) {
	return tracking.ImportCounts{}, nil
}

func (f *fakeImporter) Patients(ctx context.Context, rows []PatientRow) (tracking.ImportCounts, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.batches++
	var c tracking.ImportCounts
	for _, r := range rows {
		f.seen++
		if f.failAfter > 0 && f.seen > f.failAfter {
			return c, errors.New("the database went away")
		}
		if r.Patient.HospitalNumber == f.refuse {
			c.Errors = append(c.Errors, LineError{Line: r.Line, Field: "nhs_number", Message: "Taken."})
			continue
		}
		c.Accepted++
	}
	return c, nil
}

// patientsFile is a patients file of n good lines and one bad one.
func patientsFile(n int) string {
	var b strings.Builder
	b.WriteString("hospital_number,nhs_number,family_name,given_name,birth_date,death_date\n")
	for i := range n {
		fmt.Fprintf(&b, "H%d,,Smith,,,\n", i+1)
		if i == 2 {
			b.WriteString("BAD NUMBER,,Smith,,,\n")
		}
	}
	return b.String()
}

func TestImport(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		im        *fakeImporter
		accepted  int
		errLines  []int
		wantError bool
	}{
		{"OKEveryLineCounted", patientsFile(12000), &fakeImporter{refuse: "H7000"}, 11999, []int{5, 7002}, false},
		{"OKNotAnImport", "", &fakeImporter{}, 0, []int{1}, false},
		{"ErrWriteStops", patientsFile(12000), &fakeImporter{failAfter: 6000}, -1, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var last Progress
			rep, err := Import(context.Background(), tc.im, Patients, strings.NewReader(tc.file), Options{}, func(p Progress) { last = p })
			if (err != nil) != tc.wantError {
				t.Fatalf("error %v, want one: %v", err, tc.wantError)
			}
			var lines []int
			for _, e := range rep.Errors {
				lines = append(lines, e.Line)
			}
			if tc.wantError && rep.Accepted >= 12000 {
				t.Errorf("%d accepted after a failed write", rep.Accepted)
			}
			if !tc.wantError && (rep.Accepted != tc.accepted || fmt.Sprint(lines) != fmt.Sprint(tc.errLines)) {
				t.Errorf("report %d accepted, errors on %v; want %d and %v", rep.Accepted, lines, tc.accepted, tc.errLines)
			}
			if !tc.wantError && tc.accepted > 0 && (last.Lines != tc.accepted+len(tc.errLines) || tc.im.batches != 3 || last.Size == 0 || last.Bytes != last.Size) {
				t.Errorf("last progress %+v after %d batches", last, tc.im.batches)
			}
		})
	}
}
