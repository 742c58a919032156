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

// readFile opens r as open does and reads it all.
func readFile[T any](t *testing.T, open func(io.Reader, Options) (*Reader[T], error), r io.Reader) ([]T, []LineError) {
	t.Helper()
	rd, err := open(r, Options{Today: testToday})
	if err != nil {
		t.Fatalf("opening the file: %v", err)
	}
	return readAll(t, rd)
}

// checkOneLine checks what a file of one line after its header gave: one
// row on line 2 that ok accepts when field is "-", else one error on
// field, on line 2.
func checkOneLine[T any](t *testing.T, rows []T, errs []LineError, field string, ok func(T) bool) {
	t.Helper()
	if field == "-" {
		if len(errs) > 0 || len(rows) != 1 || !ok(rows[0]) {
			t.Errorf("rows %+v, errors %v", rows, errs)
		}
		return
	}
	if len(rows) > 0 || len(errs) != 1 || errs[0].Line != 2 || errs[0].Field != field || errs[0].Message == "" {
		t.Errorf("rows %+v, errors %+v; want one error on %q, line 2", rows, errs, field)
	}
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

// countingRows accepts lines whose first value is not "bad", and keeps
// what expect was told.
type countingRows struct{ expected []int }

func (c *countingRows) row(line int, v []string) (int, *LineError) {
	if v[0] == "bad" {
		return 0, &LineError{Line: line, Field: "hospital_number", Message: "bad"}
	}
	return line, nil
}

func (c *countingRows) expect(n int) { c.expected = append(c.expected, n) }

func TestRowsExpectedFromTheFileSize(t *testing.T) {
	t.Parallel()
	file := func(value string) string {
		return patientHeader + strings.Repeat(value+",,,,,\n", 10_000)
	}
	tests := []struct {
		name string
		r    io.Reader
		low  int // the least expected; -1 for no call
		high int
	}{
		{"OKSeekable", strings.NewReader(file("H1")), 10_000, 11_000},
		{"OKHalfBad", strings.NewReader(strings.Repeat(",,,,,\n", 1) + file("H1")[:len(patientHeader)] +
			strings.Repeat("H1,,,,,\nbad,,,,,\n", 5_000)), 5_000, 5_500},
		{"OKAllBad", strings.NewReader(file("bad")), 0, 0},
		{"OKStreamNotEstimated", stream{strings.NewReader(file("H1"))}, -1, -1},
		{"OKShortFileNotEstimated", strings.NewReader(patientHeader + "H1,,,,,\n"), -1, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &countingRows{}
			rd, err := newReader[int](tc.r, Patients, c)
			if err != nil {
				t.Fatal(err)
			}
			readAll(t, rd)
			switch {
			case tc.low < 0 && len(c.expected) > 0:
				t.Errorf("expect(%.80v) called, want no call", c.expected)
			case tc.low >= 0 && (len(c.expected) != 1 || c.expected[0] < tc.low || c.expected[0] > tc.high):
				t.Errorf("expect(%.80v), want one call between %d and %d", c.expected, tc.low, tc.high)
			}
		})
	}
}
