package labels

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden pins the exact bytes of each output, so any change to how
// labels look shows up in review as a changed file (open the PNG or PDF
// to see it). After a deliberate change: go test ./labels -run Golden -update
func TestGolden(t *testing.T) {
	t.Parallel()
	all := func() []Label {
		var ls []Label
		for _, fx := range fixtures() {
			ls = append(ls, fx.l)
		}
		return ls
	}
	alerts := volumeLabel()
	alerts.Temporary, alerts.SameNameAlert = true, true
	for _, tc := range []struct {
		file  string
		write func(io.Writer) error
	}{
		{"volume-2x1in-203dpi.png", func(w io.Writer) error { return Write(w, alerts, Format{}) }},
		{"volume-L7160-300dpi.png", func(w io.Writer) error {
			return Write(w, volumeLabel(), Format{Size: Size{63.5, 38.1}, DPI: DPI300})
		}},
		{"location-4x2in-203dpi.png", func(w io.Writer) error { return Write(w, locationLabel(Code128), Format{}) }},
		{"location-qr-4x2in-300dpi.png", func(w io.Writer) error {
			return Write(w, locationLabel(QR), Format{DPI: DPI300})
		}},
		{"sheet-L7160.pdf", func(w io.Writer) error { return WriteSheet(w, all(), SheetOptions{Skip: 2}) }},
		{"sheet-L7651.pdf", func(w io.Writer) error { return WriteSheet(w, all(), SheetOptions{Layout: L7651}) }},
		{"labels-2x1in-203dpi.zpl", func(w io.Writer) error { return WriteZPL(w, all(), ZPLOptions{}) }},
		{"labels-4x2in-300dpi.zpl", func(w io.Writer) error {
			return WriteZPL(w, all(), ZPLOptions{Size: Roll4x2, DPI: DPI300})
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := tc.write(&buf); err != nil {
				t.Fatal(err)
			}
			compareGolden(t, tc.file, buf.Bytes())
		})
	}
}

func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		out := filepath.Join("testout", name)
		os.MkdirAll("testout", 0o755)
		os.WriteFile(out, got, 0o644)
		t.Errorf("%s differs from %s (%d bytes, want %d); new output in %s; if intended, rerun with -update",
			name, path, len(got), len(want), out)
	}
}
