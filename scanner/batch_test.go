package scanner

import (
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

func TestParseBatchFile(t *testing.T) {
	t.Parallel()
	london, _ := time.LoadLocation("Europe/London")
	v1, v2, loc := tracking.VolumeBarcode(1), tracking.VolumeBarcode(2), tracking.LocationBarcode(7)
	at := func(y int, mo time.Month, d, h, mi, s int) time.Time { return time.Date(y, mo, d, h, mi, s, 0, london) }
	tests := []struct {
		name string
		file string
		want []BatchLine // Number, Barcode, ScannedAt, Device are checked
	}{
		{"OpticonLayout", loc + ",1,08:15:00,31/01/2025\r\n" + v1 + ",2,08:15:07,31/01/2025\r\n",
			[]BatchLine{{Number: 1, Barcode: loc, ScannedAt: at(2025, 1, 31, 8, 15, 0), Device: "opt-1"},
				{Number: 2, Barcode: v1, ScannedAt: at(2025, 1, 31, 8, 15, 7), Device: "opt-1"}}},
		{"OpticonSummerTime", v1 + ",0001,14:05:09,02/07/2025\n",
			[]BatchLine{{Number: 1, Barcode: v1, ScannedAt: time.Date(2025, 7, 2, 13, 5, 9, 0, time.UTC), Device: "opt-1"}}},
		{"PlainOnePerLine", v1 + "\n" + v2 + "\n",
			[]BatchLine{{Number: 1, Barcode: v1, Device: "opt-1"}, {Number: 2, Barcode: v2, Device: "opt-1"}}},
		{"PlainBlankLinesKeepNumbers", "\n" + v1 + "\n\n   \n" + v2,
			[]BatchLine{{Number: 2, Barcode: v1, Device: "opt-1"}, {Number: 5, Barcode: v2, Device: "opt-1"}}},
		{"BOMAndCRLF", "\ufeff" + v1 + "\r\n" + v2 + "\r\n",
			[]BatchLine{{Number: 1, Barcode: v1, Device: "opt-1"}, {Number: 2, Barcode: v2, Device: "opt-1"}}},
		{"HeaderSemicolonISO", "Barcode;Timestamp;Device\n" + v1 + ";2025-03-30T00:30:00Z;HH-3\n" + v2 + ";2025-03-30T02:30:00+01:00;\n",
			[]BatchLine{{Number: 2, Barcode: v1, ScannedAt: time.Date(2025, 3, 30, 0, 30, 0, 0, time.UTC), Device: "HH-3"},
				{Number: 3, Barcode: v2, ScannedAt: time.Date(2025, 3, 30, 1, 30, 0, 0, time.UTC), Device: "opt-1"}}},
		{"TabDateTimeDayFirst", v1 + "\t31/12/2024 23:59:58\n",
			[]BatchLine{{Number: 1, Barcode: v1, ScannedAt: at(2024, 12, 31, 23, 59, 58), Device: "opt-1"}}},
		{"ISOSpaceLocal", "2025-06-01 09:00:00," + v1 + ",porter-2\n",
			[]BatchLine{{Number: 1, Barcode: v1, ScannedAt: at(2025, 6, 1, 9, 0, 0), Device: "porter-2"}}},
		{"QuotedFields", `"` + v1 + `","2025-06-01 09:00:00"` + "\n" + `"A,B 7","2025-06-01 09:00:01"` + "\n",
			[]BatchLine{{Number: 1, Barcode: v1, ScannedAt: at(2025, 6, 1, 9, 0, 0), Device: "opt-1"},
				{Number: 2, Barcode: "A,B 7", ScannedAt: at(2025, 6, 1, 9, 0, 1), Device: "opt-1"}}},
		{"HeaderDateAndTimeColumns", "date,time,code\n01/02/2025,10:11:12,9434765919\n",
			[]BatchLine{{Number: 2, Barcode: "9434765919", ScannedAt: at(2025, 2, 1, 10, 11, 12), Device: "opt-1"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseBatchFile(strings.NewReader(tc.file), BatchOptions{Device: "opt-1"})
			if err != nil {
				t.Fatalf("ParseBatchFile: %v", err)
			}
			if len(got.Bad) != 0 || len(got.Lines) != len(tc.want) {
				t.Fatalf("got %d lines, bad %+v; want %d lines", len(got.Lines), got.Bad, len(tc.want))
			}
			for i, w := range tc.want {
				g := got.Lines[i]
				if g.Number != w.Number || g.Barcode != w.Barcode || !g.ScannedAt.Equal(w.ScannedAt) || g.Device != w.Device {
					t.Errorf("line %d = %+v, want %+v", i, g, w)
				}
				if !strings.HasPrefix(g.ScanID, "file:") || len(g.ScanID) != 29 {
					t.Errorf("line %d scan id %q", i, g.ScanID)
				}
			}
		})
	}
}

func TestParseBatchFileBadLines(t *testing.T) {
	t.Parallel()
	v1 := tracking.VolumeBarcode(1)
	file := strings.Join([]string{
		v1 + ",1,08:15:00,31/01/2025",
		v1 + ",2,08:15:00,31/02/2025",   // no 31st of February
		v1 + ",3,25:61:00,01/02/2025",   // no such time
		",4,08:15:00,01/02/2025",        // nothing scanned
		v1 + ",5,08:15:00,01/02/2025,x", // a column too many
		v1 + ",6,08:16:00,01/02/2025",
	}, "\r\n")
	got, err := ParseBatchFile(strings.NewReader(file), BatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []BadLine{
		{2, v1 + ",2,08:15:00,31/02/2025", `unparseable date "31/02/2025"`},
		{3, v1 + ",3,25:61:00,01/02/2025", `unparseable time "25:61:00"`},
		{4, ",4,08:15:00,01/02/2025", "empty barcode"},
		{5, v1 + ",5,08:15:00,01/02/2025,x", "too many columns: 5, expected 4"},
	}
	if len(got.Lines) != 2 || got.Lines[0].Number != 1 || got.Lines[1].Number != 6 {
		t.Errorf("lines = %+v, want lines 1 and 6", got.Lines)
	}
	if len(got.Bad) != len(want) {
		t.Fatalf("bad = %+v, want %+v", got.Bad, want)
	}
	for i := range want {
		if got.Bad[i] != want[i] {
			t.Errorf("bad[%d] = %+v, want %+v", i, got.Bad[i], want[i])
		}
	}
}

// Uploading a file again, or after the scanner appended to it, must give
// the lines it had the same scan ids, and other devices other ids.
func TestParseBatchFileStableScanIDs(t *testing.T) {
	t.Parallel()
	first := "V000000011,1,08:15:00,31/01/2025\r\nV000000029,2,08:15:07,31/01/2025\r\n"
	appended := first + "V000000011,3,09:00:00,31/01/2025\r\n"
	a := mustParseBatch(t, first, "opt-1")
	b := mustParseBatch(t, appended, "opt-1")
	other := mustParseBatch(t, first, "opt-2")
	if len(b.Lines) != 3 {
		t.Fatalf("appended file: %d lines", len(b.Lines))
	}
	for i, l := range a.Lines {
		if b.Lines[i].ScanID != l.ScanID {
			t.Errorf("line %d: id %s after append, was %s", l.Number, b.Lines[i].ScanID, l.ScanID)
		}
		if other.Lines[i].ScanID == l.ScanID {
			t.Errorf("line %d: same id %s from another device", l.Number, l.ScanID)
		}
	}
	if b.Lines[2].ScanID == a.Lines[0].ScanID {
		t.Error("a rescan of the same volume later got the same id")
	}
}

func TestParseBatchFileRejects(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, file string }{
		{"ErrEmpty", ""},
		{"ErrOnlyBlankLines", "\r\n\r\n  \n"},
		{"ErrBinary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
		{"ErrTooManyLines", strings.Repeat("V000000011\n", MaxBatchLines+1)},
		{"ErrTooLarge", strings.Repeat("V", MaxBatchBytes+1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseBatchFile(strings.NewReader(tc.file), BatchOptions{})
			if tracking.ErrorCode(err) != tracking.EINVALID {
				t.Errorf("error %v, want EINVALID", err)
			}
		})
	}
}

func TestParseBatchFileAtLineLimit(t *testing.T) {
	t.Parallel()
	got := mustParseBatch(t, strings.Repeat("V000000011\n", MaxBatchLines), "d")
	if len(got.Lines) != MaxBatchLines {
		t.Errorf("got %d lines", len(got.Lines))
	}
}

func mustParseBatch(tb testing.TB, file, device string) BatchFile {
	tb.Helper()
	got, err := ParseBatchFile(strings.NewReader(file), BatchOptions{Device: device})
	if err != nil {
		tb.Fatalf("ParseBatchFile: %v", err)
	}
	return got
}
