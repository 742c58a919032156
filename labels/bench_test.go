package labels

import (
	"fmt"
	"io"
	"testing"
)

// benchLabels returns n volume labels with distinct barcodes and names,
// like a clinic's pull list.
func benchLabels(n int) []Label {
	ls := make([]Label, n)
	for i := range ls {
		l := volumeLabel()
		l.Barcode = fmt.Sprintf("V%09d", i)
		l.HospitalNumber = fmt.Sprintf("RX%07d", i*7919%10000000)
		l.SameNameAlert = i%10 == 0
		ls[i] = l
	}
	return ls
}

// BenchmarkWriteSheet1000 is a full print run: 1,000 labels, 48 pages of
// L7160.
func BenchmarkWriteSheet1000(b *testing.B) {
	ls := benchLabels(1000)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteSheet(io.Discard, ls, SheetOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteZPL reports labels per second for a 1,000-label job.
func BenchmarkWriteZPL(b *testing.B) {
	ls := benchLabels(1000)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteZPL(io.Discard, ls, ZPLOptions{DPI: DPI300}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(ls))/b.Elapsed().Seconds(), "labels/s")
}

// BenchmarkWritePNG is one preview, as the print page shows.
func BenchmarkWritePNG(b *testing.B) {
	l := volumeLabel()
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, l, Format{DPI: DPI300}); err != nil {
			b.Fatal(err)
		}
	}
}
