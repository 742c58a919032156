package csvimport

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// benchRows is how many lines the benchmarks' files hold: 100,000 unless
// -rows says (a million shows what a trust's whole file costs).
var benchRows = flag.Int("rows", 100_000, "lines in each benchmark's file")

// The benchmarks read generated files the way an import does: from a
// seekable file (so the encoding is decided by reading it through first),
// 1,000 lines a batch. rows/s is the figure BENCHMARKS.md keeps, and
// rows/cpu-s the same per second of processor time (steadier on a shared
// machine; the GC of the loop's own measuring is left out of it);
// kept-B/row is what the reader holds per row once the file is read (the
// keys it remembers to refuse repeats).

func BenchmarkReadPatients(b *testing.B) {
	benchRead(b, patientFile(*benchRows), func(r io.Reader) (*Reader[PatientRow], error) {
		return NewPatientReader(r, Options{Today: testToday})
	})
}

func BenchmarkReadPatientsWindows1252(b *testing.B) {
	file, err := charmap.Windows1252.NewEncoder().Bytes(patientFile(*benchRows))
	if err != nil {
		b.Fatal(err)
	}
	benchRead(b, file, func(r io.Reader) (*Reader[PatientRow], error) {
		return NewPatientReader(r, Options{Today: testToday})
	})
}

func BenchmarkReadVolumes(b *testing.B) {
	benchRead(b, volumeFile(*benchRows), func(r io.Reader) (*Reader[VolumeRow], error) {
		return NewVolumeReader(r, Options{})
	})
}

func benchRead[T any](b *testing.B, file []byte, open func(io.Reader) (*Reader[T], error)) {
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	var kept uint64
	var cpu time.Duration
	for b.Loop() {
		start := cpuTime()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		rd, err := open(bytes.NewReader(file))
		if err != nil {
			b.Fatal(err)
		}
		var batch Batch[T]
		n := 0
		for rd.Next(&batch, 1000) {
			if len(batch.Errors) > 0 {
				b.Fatal(batch.Errors[0])
			}
			n += len(batch.Rows)
		}
		if n != *benchRows || rd.Err() != nil {
			b.Fatalf("%d rows, %v", n, rd.Err())
		}
		cpu += cpuTime() - start
		runtime.GC()
		runtime.ReadMemStats(&after)
		kept = after.HeapAlloc - min(before.HeapAlloc, after.HeapAlloc)
		runtime.KeepAlive(rd)
	}
	rows := float64(*benchRows)
	b.ReportMetric(rows*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	if cpu > 0 {
		b.ReportMetric(rows*float64(b.N)/cpu.Seconds(), "rows/cpu-s")
	}
	b.ReportMetric(float64(kept)/rows, "kept-B/row")
}

// Names as a trust's PAS holds them, a few beyond ASCII.
var benchFamily = []string{"SMITH", "JONES", "O'NEILL", "WILLIAMS", "TAYLOR", "DAVIES", "Ó'SÚILLEABHÁIN", "EVANS-THOMAS", "BROWN", "WILSON"}
var benchGiven = []string{"Ann", "John", "Siân", "Mohammed", "Zoë", "Olivia", "Jack", "Mary Jane", "Noah", "Amelia"}

// patientFile is a patients file of n lines with valid, distinct hospital
// and NHS numbers, dates in both forms, and some quoted values.
func patientFile(n int) []byte {
	var b bytes.Buffer
	b.WriteString(patientHeader)
	base := 400_000_000
	for i := range n {
		nhs := nextNHSNumber(&base)
		family := benchFamily[i%len(benchFamily)]
		if i%50 == 0 {
			family = `"` + family + `, JR"`
		}
		birth := fmt.Sprintf("%02d/%02d/%d", 1+i%28, 1+i%12, 1930+i%90)
		if i%2 == 0 {
			birth = fmt.Sprintf("%d-%02d-%02d", 1930+i%90, 1+i%12, 1+i%28)
		}
		death := ""
		if i%20 == 0 {
			death = "2021-03-04"
		}
		fmt.Fprintf(&b, "RX%07d,%s,%s,%s,%s,%s\r\n", i, nhs, family, benchGiven[i%len(benchGiven)], birth, death)
	}
	return b.Bytes()
}

// nextNHSNumber returns the next valid NHS number from *base up.
func nextNHSNumber(base *int) string {
	for {
		s := fmt.Sprintf("%09d", *base)
		*base++
		sum := 0
		for i := range 9 {
			sum += int(s[i]-'0') * (10 - i)
		}
		if check := (11 - sum%11) % 11; check != 10 {
			return s + string(rune('0'+check))
		}
	}
}

// volumeFile is a volumes file of n lines: one to three volumes a
// patient, half with a legacy barcode, in various statuses and places.
func volumeFile(n int) []byte {
	var b bytes.Buffer
	b.WriteString(volumeHeader)
	statuses := []string{"active", "", "closed", "Active", "archived"}
	places := []string{"", "W12", "CLINIC-3", "", "OFFSITE"}
	for i := range n {
		barcode := ""
		if i%2 == 0 {
			barcode = fmt.Sprintf("OLD%08d", i)
		}
		fmt.Fprintf(&b, "RX%07d,%d,%s,%s,LIB,%s\r\n", i/3, 1+i%3, barcode, statuses[i%len(statuses)], places[i%len(places)])
	}
	return b.Bytes()
}
