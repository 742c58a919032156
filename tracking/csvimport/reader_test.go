package csvimport

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

const patientHeader = "hospital_number,nhs_number,family_name,given_name,birth_date,death_date\n"

// testToday is the date the tests' files are read on.
var testToday = tracking.Date{Time: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}

func readPatients(t *testing.T, r io.Reader) ([]PatientRow, []LineError) {
	t.Helper()
	rd, err := NewPatientReader(r, Options{Today: testToday})
	if err != nil {
		t.Fatalf("NewPatientReader: %v", err)
	}
	return readAll(t, rd)
}

// readAll reads a file in batches of 7 lines, checking that each batch
// keeps to its size and that lines come in order.
func readAll[T any](t *testing.T, rd *Reader[T]) (rows []T, errs []LineError) {
	t.Helper()
	var b Batch[T]
	for rd.Next(&b, 7) {
		if n := len(b.Rows) + len(b.Errors); n > 7 {
			t.Fatalf("a batch of 7 holds %d lines", n)
		}
		rows = append(rows, b.Rows...)
		errs = append(errs, b.Errors...)
	}
	if err := rd.Err(); err != nil {
		t.Fatalf("Err: %v", err)
	}
	return rows, errs
}

func TestNextTakesBatchesInLineOrder(t *testing.T) {
	t.Parallel()
	file := patientHeader +
		"H1,,A,,,\n" + "H2,123,B,,,\n" + "\n" + "H3,,C,,,\n" + "H4,,,,,\n" + "H5,,E,,,\n" + "H6,,F,,,"
	rd, err := NewPatientReader(strings.NewReader(file), Options{Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	var b Batch[PatientRow]
	var lines []int
	var sizes []int
	last := rd.BytesRead()
	for rd.Next(&b, 2) {
		sizes = append(sizes, len(b.Rows)+len(b.Errors))
		for _, r := range b.Rows {
			lines = append(lines, r.Line)
		}
		for _, e := range b.Errors {
			lines = append(lines, -e.Line)
		}
		if rd.BytesRead() <= last {
			t.Errorf("BytesRead stayed at %d", last)
		}
		last = rd.BytesRead()
	}
	if want := []int{2, -3, 5, -6, 7, 8}; !slices.Equal(lines, want) {
		t.Errorf("lines %v, want %v (errors negative)", lines, want)
	}
	if want := []int{2, 2, 2}; !slices.Equal(sizes, want) {
		t.Errorf("batch sizes %v, want %v", sizes, want)
	}
	if last != int64(len(file)) || rd.Err() != nil {
		t.Errorf("BytesRead %d, Err %v; want %d, nil", last, rd.Err(), len(file))
	}
}

// errAfter fails every read after n bytes.
type errAfter struct {
	r io.Reader
	n int
}

func (e *errAfter) Read(p []byte) (int, error) {
	if e.n <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	n, err := e.r.Read(p[:min(len(p), e.n)])
	e.n -= n
	return n, err
}

func TestReadFailureStopsWithErr(t *testing.T) {
	t.Parallel()
	file := patientHeader + "H1,,SMITH,,,\nH2,,JONES-EVANS,,,\n"
	rd, err := NewPatientReader(&errAfter{strings.NewReader(file), len(file) - 8}, Options{Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	var b Batch[PatientRow]
	var got []string
	for rd.Next(&b, 10) {
		for _, r := range b.Rows {
			got = append(got, r.Patient.FamilyName)
		}
	}
	if rd.Err() == nil || !slices.Equal(got, []string{"SMITH"}) {
		t.Errorf("rows %v, Err %v; want only SMITH (JONES-EVANS was cut short) and an error", got, rd.Err())
	}
}
