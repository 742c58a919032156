package csvimport

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// cp1252 writes s as a PAS export on Windows would.
func cp1252(t *testing.T, s string) string {
	t.Helper()
	out, err := charmap.Windows1252.NewEncoder().String(s)
	if err != nil {
		t.Fatalf("cannot write %q in Windows-1252: %v", s, err)
	}
	return out
}

// stream hides any Seek method, as a network upload has none.
type stream struct{ r io.Reader }

func (s stream) Read(p []byte) (int, error) { return s.r.Read(p) }

func TestDecide(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		atEOF bool
		want  encoding
		cut   int
	}{
		{"UndecidedASCII", "H1,SMITH\n", false, undecided, 0},
		{"UTF8", "Zo\u00eb", false, utf8Text, 0},
		{"Windows1252", "Zo\xeb,", false, windows1252, 0},
		{"UndecidedCutSequence", "Zo\xc3", false, undecided, 1},
		{"UTF8BeforeCutSequence", "Zo\u00eb Si\xc3", false, utf8Text, 1},
		{"Windows1252CutSequenceAtEOF", "Zo\xc3", true, windows1252, 0},
		// Ó’ in Windows-1252 is D3 92, also valid UTF-8 (Cyrillic Ӓ): a
		// window holding nothing else cannot tell; a whole file can.
		{"AmbiguousAloneIsUTF8", "\xd3\x92Neill", false, utf8Text, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			enc, cut := decide([]byte(tc.in), tc.atEOF)
			if enc != tc.want || cut != tc.cut {
				t.Errorf("decide(%q, %v) = %v, %d; want %v, %d", tc.in, tc.atEOF, enc, cut, tc.want, tc.cut)
			}
		})
	}
}

func TestNamesReadInEitherEncoding(t *testing.T) {
	t.Parallel()
	names := []string{"Zo\u00eb", "Si\u00e2n", "\u00d3'Neill", "\u00d3\u2019Neill", "Fran\u00e7ois-M\u00fcller"}
	var body strings.Builder
	for i, n := range names {
		body.WriteString("H" + string(rune('1'+i)) + ",," + n + ",,,\r\n")
	}
	utf := patientHeader + body.String()
	win := cp1252(t, utf)
	// Decomposed, as macOS writes: e + combining diaeresis.
	nfd := strings.ReplaceAll(utf, "\u00eb", "e\u0308")
	tests := []struct {
		name string
		r    io.Reader
	}{
		{"UTF8", strings.NewReader(utf)},
		{"UTF8WithBOM", strings.NewReader("\ufeff" + utf)},
		{"UTF8Decomposed", strings.NewReader(nfd)},
		{"UTF8Stream", stream{strings.NewReader(utf)}},
		{"Windows1252", strings.NewReader(win)},
		{"Windows1252Stream", stream{strings.NewReader(win)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, errs := readFile(t, NewPatientReader, tc.r)
			var got []string
			for _, r := range rows {
				got = append(got, r.Patient.FamilyName)
			}
			if len(errs) > 0 || !slices.Equal(got, names) {
				t.Errorf("names %q, errors %v; want %q", got, errs, names)
			}
		})
	}
}

// A Windows-1252 file whose first non-ASCII bytes happen to be valid UTF-8
// (Ó’ is D3 92) is still read as Windows-1252 when it can be read through
// first: the Zoë far below settles it.
func TestSeekableFileDecidedWhole(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(patientHeader + "H1,,\u00d3\u2019Neill,,,\n")
	for i := range 20_000 {
		fmt.Fprintf(&b, "X%06d,,SMITH,John,01/02/1950,\n", i)
	}
	b.WriteString("Z1,,Zo\u00eb,,,\n")
	file := cp1252(t, b.String())
	if len(file) < 2*bufSize {
		t.Fatalf("the file is only %d bytes: the Zoë must lie beyond the first window", len(file))
	}
	rows, errs := readFile(t, NewPatientReader, bytes.NewReader([]byte(file)))
	if len(errs) > 0 || rows[0].Patient.FamilyName != "\u00d3\u2019Neill" || rows[len(rows)-1].Patient.FamilyName != "Zo\u00eb" {
		t.Errorf("first %q, last %q, errors %.200v", rows[0].Patient.FamilyName, rows[len(rows)-1].Patient.FamilyName, errs)
	}
}

// A file joined from two exports: UTF-8, then a Windows-1252 line.
func TestUTF8FileWithAWindows1252Line(t *testing.T) {
	t.Parallel()
	file := patientHeader + "H1,,Zo\u00eb,,,\n" + "H2,," + cp1252(t, "Si\u00e2n") + ",,,\n"
	rows, errs := readFile(t, NewPatientReader, stream{strings.NewReader(file)})
	if len(errs) > 0 || len(rows) != 2 || rows[1].Patient.FamilyName != "Si\u00e2n" {
		t.Errorf("rows %+v, errors %v", rows, errs)
	}
}

func TestUnreadableByteRefusesTheField(t *testing.T) {
	t.Parallel()
	// 0x81 is not a character in Windows-1252.
	file := patientHeader + "H1,,Zo\xeb,,,\n" + "H2,,AB\x81C,,,\n"
	rows, errs := readFile(t, NewPatientReader, strings.NewReader(file))
	if len(rows) != 1 || len(errs) != 1 || errs[0].Line != 3 || errs[0].Field != "family_name" || errs[0].Message != unreadable {
		t.Errorf("rows %d, errors %v; want one row and an unreadable family_name on line 3", len(rows), errs)
	}
}

func TestAppendFieldTrimsAndComposes(t *testing.T) {
	t.Parallel()
	tx := text{enc: utf8Text}
	tests := []struct{ in, want string }{
		{"  SMITH \t", "SMITH"},
		{"\u00a0Zoe\u0308\u00a0", "Zo\u00eb"},
		{"", ""},
		{" \" ", "\""},
	}
	for _, tc := range tests {
		got, ok := tx.appendField([]byte("x"), []byte(tc.in))
		if !ok || string(got) != "x"+tc.want {
			t.Errorf("appendField(%q) = %q, %v; want %q", tc.in, got, ok, "x"+tc.want)
		}
	}
}
