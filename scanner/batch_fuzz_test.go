package scanner

import (
	"strings"
	"testing"

	"github.com/casetrack/casetrack/tracking"
)

// FuzzParseBatchFile checks that no upload makes ParseBatchFile panic and
// that every line is accounted for once, good lines with a barcode and a
// unique scan id.
func FuzzParseBatchFile(f *testing.F) {
	for _, s := range []string{
		"V000000011,1,08:15:00,31/01/2025\r\nV000000029,2,08:15:07,31/01/2025\r\n",
		"\ufeffBarcode;Timestamp;Device\nV000000011;2025-03-30T00:30:00Z;HH-3\n",
		"L000072\n\nV000000011\n", `"A,B",2025-06-01 09:00:00` + "\n", "a\tb\tc\td\te\n1\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, file string) {
		got, err := ParseBatchFile(strings.NewReader(file), BatchOptions{Device: "d"})
		if err != nil {
			if tracking.ErrorCode(err) != tracking.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		checkBatch(t, got)
	})
}

func checkBatch(t *testing.T, got BatchFile) {
	t.Helper()
	ids := map[string]bool{}
	numbers := map[int]bool{}
	for _, l := range got.Lines {
		if l.Barcode == "" || l.Number < 1 || ids[l.ScanID] || numbers[l.Number] {
			t.Fatalf("bad line %+v", l)
		}
		ids[l.ScanID], numbers[l.Number] = true, true
	}
	for _, b := range got.Bad {
		if b.Reason == "" || numbers[b.Number] {
			t.Fatalf("bad report %+v", b)
		}
		numbers[b.Number] = true
	}
}
