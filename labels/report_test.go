package labels

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// A report long enough to run over pages prints every row once, repeats
// the header row on each page, and is the same bytes every time.
func TestWriteReport(t *testing.T) {
	rep := Report{Title: "Sweep 3 of LIB-A", Lines: []string{"Started 09:00 by library, finished 10:12 by library."}}
	rows := make([][]string, 120)
	for i := range rows {
		rows[i] = []string{fmt.Sprintf("V%09d", i), "Ó'BRIEN, Zoë Siân " + strings.Repeat("x", i%40), "WARD7"}
	}
	rep.Sections = []ReportSection{
		{Heading: "Not seen", Columns: []ReportColumn{{"Volume", 2}, {"Patient", 4}, {"Was at", 1}}, Rows: rows},
		{Heading: "Unknown barcodes", Columns: []ReportColumn{{"As read", 1}}, Empty: "None."},
	}
	var a, b bytes.Buffer
	if err := WriteReport(&a, rep); err != nil {
		t.Fatal(err)
	}
	if err := WriteReport(&b, rep); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("two writes differ (%v)", err)
	}
	text := pdfText(t, a.Bytes())
	if n := strings.Count(text, "V000000"); n != 120 {
		t.Errorf("%d rows printed, want 120", n)
	}
	if pages := strings.Count(text, "page "); pages < 3 || strings.Count(text, "Patient") != pages {
		t.Errorf("%d pages, %d header rows: the header should head every page of the table", pages, strings.Count(text, "Patient"))
	}
	for _, want := range []string{"Ó'BRIEN, Zoë Siân", "None.", "page 1 of"} {
		if !strings.Contains(text, want) {
			t.Errorf("report text lacks %q", want)
		}
	}
}
