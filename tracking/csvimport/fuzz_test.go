package csvimport

import (
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/casetrack/casetrack/tracking"
)

// Seeds shared by the fuzz targets: the junk real exports carry.
var fuzzJunk = []string{
	"",
	"\ufeff",
	"\r\n\r\n",
	",,,,,\n",
	"\"open,\n",
	"\"a\"\"b\",\"c\nd\"\r\n",
	"x\"y,\"z\"w\n",
	"Zo\xeb,Si\xe2n,\xd3\x92Neill,\x81\n",
	"\xff\xfe",
	"PK\x03\x04",
}

func fuzzSeeds(f *testing.F, header string, lines ...string) {
	f.Add(header + strings.Join(lines, "\n"))
	f.Add(strings.ToUpper(header) + strings.Join(lines, "\r\n") + "\r\n")
	for _, j := range fuzzJunk {
		f.Add(header + j + strings.Join(lines, "\n"))
		f.Add(j)
	}
}

// FuzzPatients checks that no file makes the patient reader panic, that
// every line is accounted for at most once, in order, and every error
// has a line and a message.
func FuzzPatients(f *testing.F) {
	fuzzSeeds(f, patientHeader, "H1,943 476 5919,Smith,\"Ann, Mary\",03/02/1950,", "h1,9434765918,,,31/02/1950,x", "H2,,O'Neill,,,,")
	f.Fuzz(func(t *testing.T, file string) {
		open := func(r io.Reader) (*Reader[PatientRow], error) { return NewPatientReader(r, Options{Today: testToday}) }
		checkFile(t, file, Patients, open, func(r PatientRow) (int, []string) {
			p := r.Patient
			return r.Line, []string{p.HospitalNumber, p.NHSNumber, p.FamilyName, p.GivenName}
		})
	})
}

// FuzzLocations does the same for locations files.
func FuzzLocations(f *testing.F) {
	fuzzSeeds(f, locationHeader, "LIB,Library,library,,OLD-1", "bay1,\"Bay 1, east\",Library,lib,", "LIB,Again,ward,,old-1")
	f.Fuzz(func(t *testing.T, file string) {
		open := func(r io.Reader) (*Reader[LocationRow], error) { return NewLocationReader(r, Options{}) }
		checkFile(t, file, Locations, open, func(r LocationRow) (int, []string) {
			l := r.Location
			if r.ParentLine >= r.Line {
				t.Fatalf("line %d has its parent on line %d", r.Line, r.ParentLine)
			}
			return r.Line, []string{l.Code, l.Name, string(l.Kind), l.ParentCode, l.LegacyBarcode}
		})
	})
}

// FuzzVolumes does the same for volumes files.
func FuzzVolumes(f *testing.F) {
	fuzzSeeds(f, volumeHeader, "H1,1,OLD1,closed,LIB,W1", "h1,01,,,,", "H2,1000,OLD1,lost,a b,")
	f.Fuzz(func(t *testing.T, file string) {
		open := func(r io.Reader) (*Reader[VolumeRow], error) { return NewVolumeReader(r, Options{}) }
		checkFile(t, file, Volumes, open, func(r VolumeRow) (int, []string) {
			if r.Number < 1 || r.Status != "" && tracking.ValidateVolumeStatus(r.Status) != nil {
				t.Fatalf("row %+v", r)
			}
			return r.Line, []string{r.HospitalNumber, r.LegacyBarcode, string(r.Status), r.Home, r.Location}
		})
	})
}

// checkFile reads file whole and as a stream in small reads.
func checkFile[T any](t *testing.T, file string, k Kind, open func(io.Reader) (*Reader[T], error), row func(T) (int, []string)) {
	lines := strings.Count(file, "\n") + 1
	for _, r := range []io.Reader{strings.NewReader(file), stream{iotest.HalfReader(strings.NewReader(file))}} {
		rd, err := open(r)
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) || le.Line < 1 || le.Line > lines || le.Message == "" {
				t.Fatalf("file error %#v", err)
			}
			continue
		}
		var got []int
		var b Batch[T]
		for rd.Next(&b, 3) {
			var batch []int
			for _, r := range b.Rows {
				line, texts := row(r)
				batch = append(batch, line)
				for _, s := range texts {
					if !utf8.ValidString(s) {
						t.Fatalf("line %d: %q is not UTF-8", line, s)
					}
				}
			}
			for _, e := range b.Errors {
				if e.Message == "" || (e.Field != "" && !slices.Contains(k.Columns(), e.Field)) {
					t.Fatalf("error %+v", e)
				}
				batch = append(batch, e.Line)
			}
			slices.Sort(batch)
			got = append(got, batch...)
		}
		for i, l := range got {
			if l < 2 || l > lines || (i > 0 && l <= got[i-1]) {
				t.Fatalf("lines %v: %d out of place (the file has %d)", got, l, lines)
			}
		}
		if rd.Err() != nil || rd.BytesRead() != int64(len(file)) {
			t.Fatalf("Err %v, BytesRead %d of %d", rd.Err(), rd.BytesRead(), len(file))
		}
	}
}

// FuzzLexer holds the lexer to encoding/csv: whatever the standard
// library reads without error, the lexer reads the same, each record on
// the same line.
func FuzzLexer(f *testing.F) {
	for _, s := range append(fuzzJunk, "a,b\r\nc,\"d\r\ne\"\n", "\"\"\n\n\"x\"", "a\rb,c\r", "\"a\r\"\n") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		want, err := stdlibRecords(in)
		if err != nil {
			return
		}
		got, err := lexAll(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		got = slices.DeleteFunc(got, func(l lexed) bool { return len(l.fields) == 1 && l.fields[0] == "" })
		if !slices.EqualFunc(got, want, equalLexed) {
			t.Fatalf("lexer %+v\nencoding/csv %+v", got, want)
		}
	})
}

func stdlibRecords(in string) ([]lexed, error) {
	r := csv.NewReader(strings.NewReader(in))
	r.FieldsPerRecord = -1
	var out []lexed
	for {
		fields, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := r.FieldPos(0)
		if len(fields) != 1 || fields[0] != "" {
			out = append(out, lexed{line: line, fields: fields})
		}
	}
}
