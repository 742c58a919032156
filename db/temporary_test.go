package db_test

import (
	"context"
	"strings"
	"testing"

	"github.com/casetrack/casetrack/tracking"
)

// From missing through a temporary folder to amalgamation, on each
// database: the temporary folder is linked and due, listed until
// amalgamated, and its scan afterwards names the volume it went into.
func TestTemporaryFolderAndAmalgamation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		f.setStatus(t, f.vol.Barcode, tracking.StatusMissing, "Searched the library")
		temp, err := f.svc.AddVolume(ctx, records, "H123456", tracking.VolumeInput{Temporary: true, Original: f.vol.Barcode})
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.FindVolume(ctx, records, temp.Barcode)
		if err != nil || got.Status != tracking.StatusTemporary || got.Original != f.vol.Barcode || got.Due == nil ||
			got.Due.String() != "2026-12-20" || len(got.StatusHistory) != 1 || got.Number != 2 {
			t.Fatalf("temporary folder read back: %+v, %v", got, err)
		}
		if ts, _ := f.svc.Temporaries(ctx, records); len(ts) != 1 || ts[0].Original != f.vol.Barcode || ts[0].PastDue {
			t.Errorf("temporaries: %+v", ts)
		}
		if ms, _ := f.svc.Missing(ctx, records); len(ms) != 1 || ms[0].Temporary != temp.Barcode || ms[0].Note != "Searched the library" {
			t.Errorf("missing: %+v", ms)
		}
		f.scan(t, tracking.Scan{ScanID: "found", Barcode: f.vol.Barcode, Location: "LIB"})
		v, err := f.svc.Amalgamate(ctx, records, temp.Barcode, f.vol.Barcode)
		if err != nil || v.Status != tracking.StatusAmalgamated || v.AmalgamatedInto != f.vol.Barcode {
			t.Fatalf("amalgamate: %+v, %v", v, err)
		}
		if _, err := f.svc.Amalgamate(ctx, records, temp.Barcode, f.vol.Barcode); tracking.ErrorCode(err) != tracking.EINVALID {
			t.Errorf("amalgamate again: %v, want 422", err)
		}
		r := f.scan(t, tracking.Scan{ScanID: "late", Barcode: temp.Barcode, Location: "WARD7"})
		if r.Result != tracking.ResultRejected || !strings.Contains(r.Message, f.vol.Barcode) {
			t.Errorf("scan of the amalgamated folder: %+v", r)
		}
		if ts, _ := f.svc.Temporaries(ctx, records); len(ts) != 0 {
			t.Errorf("an amalgamated folder is still listed: %+v", ts)
		}
	})
}

// A volume made temporary by a status change alone gets a due date too.
func TestTemporaryByStatusChangeIsDue(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		f.setStatus(t, f.vol.Barcode, tracking.StatusTemporary, "")
		v, err := f.svc.FindVolume(context.Background(), records, f.vol.Barcode)
		if err != nil || v.Due == nil || v.Due.String() != "2026-12-20" {
			t.Errorf("due %v, %v", v.Due, err)
		}
	})
}
