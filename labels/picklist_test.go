package labels

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func samplePickList(lines int) PickList {
	pl := PickList{Title: "Pull list for Tue 24 Nov 2026", Subtitle: "All clinics", Printed: "Printed Mon 23 Nov 2026 16:05 by library"}
	pull := PickSection{Heading: "Pull from LIB-A Library Bay A"}
	for i := 0; i < lines; i++ {
		pull.Lines = append(pull.Lines, PickLine{HospitalNumber: fmt.Sprintf("RX%06d", 607458+i*100), Name: "Ó'NEILL, Zoë Siân",
			Volume: "Vol 1 of 2", Shelf: "LIB-A", Clinic: "OPD-ENT", Time: "09:30"})
	}
	chase := PickSection{Heading: "Chase at WARD7 Ward 7 Cardiology", Lines: []PickLine{{HospitalNumber: "H100058",
		Name: "SMITH, Dafydd with a name far too long to fit in its column at all", Volume: "Vol 2 of 2", Shelf: "WARD7", Clinic: "OPD-ENT", Time: "10:15"}}}
	none := PickSection{Heading: "No notes: make up a new folder", Lines: []PickLine{{HospitalNumber: "H7", Name: "JONES, Ann", Volume: "No notes", Clinic: "OPD-ENT", Time: "11:00"}}}
	pl.Sections = []PickSection{pull, chase, none}
	return pl
}

// pdfText reads a PDF back as text with poppler's pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	needTool(t, "pdftotext", "apt-get install poppler-utils")
	path := filepath.Join(t.TempDir(), "list.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

func TestPickListReadsBack(t *testing.T) {
	t.Parallel()
	var a, b bytes.Buffer
	if err := WritePickList(&a, samplePickList(70)); err != nil {
		t.Fatal(err)
	}
	if err := WritePickList(&b, samplePickList(70)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same list gave different bytes")
	}
	text := pdfText(t, a.Bytes())
	for _, want := range []string{"Pull list for Tue 24 Nov 2026", "Pull from LIB-A", "RX6074 58", "Ó'NEILL, Zoë Siân",
		"Vol 1 of 2", "Chase at WARD7", "(continued)", "No notes: make up a new folder", "Page 1 of 3", "Page 3 of 3", "SMITH, Dafydd"} {
		if !strings.Contains(text, want) {
			t.Errorf("pick list text lacks %q", want)
		}
	}
	if strings.Contains(text, "at all") {
		t.Error("a long name ran past its column instead of being cut")
	}
	pull, chase, none := strings.Index(text, "Pull from"), strings.Index(text, "Chase at"), strings.Index(text, "No notes:")
	if !(pull < chase && chase < none) {
		t.Errorf("sections out of order: %d %d %d", pull, chase, none)
	}
}
