package db_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// A sweep of a bay on each database, scanned as a batch and a single
// scan: seen, corrected (and its movement marked as the sweep's), a
// folder on a shelf inside the bay left there, not seen, unknown; the
// kept report reads the same after folders move on; a second finish is a
// conflict and a later scan for the sweep is refused.
func TestSweepOfABay(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		bay := &tracking.Location{Code: "LIB-A", Name: "Bay A", Kind: tracking.KindLibrary, ParentCode: "LIB"}
		shelf := &tracking.Location{Code: "LIB-A1", Name: "Shelf A1", Kind: tracking.KindLibrary, ParentCode: "LIB-A"}
		for _, l := range []*tracking.Location{bay, shelf} {
			if err := f.svc.CreateLocation(ctx, l); err != nil {
				t.Fatal(err)
			}
		}
		v := make([]string, 5)
		for i := range v {
			p := &tracking.Patient{HospitalNumber: fmt.Sprintf("S%d0000%d", i, i), FamilyName: "Sweep"}
			if err := f.svc.CreatePatient(ctx, porter, p, "LIB-A"); err != nil {
				t.Fatal(err)
			}
			v[i] = p.Volumes[0].Barcode
		}
		f.scan(t, tracking.Scan{ScanID: "w", Barcode: v[1], Location: "WARD7"})
		f.scan(t, tracking.Scan{ScanID: "s", Barcode: v[2], Location: "LIB-A1"})
		f.now = f.now.Add(time.Minute)
		sw, err := f.svc.StartSweep(ctx, records, "LIB-A")
		if err != nil {
			t.Fatal(err)
		}
		f.now = f.now.Add(time.Minute)
		_, errs, err := f.svc.RecordScans(ctx, porter, []tracking.Scan{{Barcode: v[0], Sweep: sw.ID}, {Barcode: v[1], Sweep: sw.ID},
			{Barcode: "NOTHING-1", Sweep: sw.ID}, {Barcode: f.lib.Barcode, Device: "d", Sweep: sw.ID}})
		if err != nil || errs[0] != nil || errs[1] != nil {
			t.Fatalf("batch: %v %v", errs, err)
		}
		f.now = f.now.Add(time.Second)
		if got := f.scan(t, tracking.Scan{Barcode: v[2], Sweep: sw.ID}); got.Result != tracking.ResultAlreadyHere || got.Location.Code != "LIB-A1" {
			t.Errorf("folder on a shelf inside the bay: %+v", got)
		}
		if c, _ := f.svc.FindSweep(ctx, sw.ID); c.Counts != (tracking.SweepCounts{Seen: 3, Corrected: 1, Unknown: 1}) {
			t.Errorf("live counts %+v", c.Counts)
		}
		if _, err := f.svc.FinishSweep(ctx, records, sw.ID); err != nil {
			t.Fatal(err)
		}
		f.scan(t, tracking.Scan{ScanID: "after", Barcode: v[0], Location: "WARD9"})
		rep, err := f.svc.SweepReport(ctx, records, sw.ID)
		if err != nil {
			t.Fatal(err)
		}
		checkSweepReport(t, rep, v)
		if ms, _ := f.svc.FindMovements(ctx, porter, v[1]); ms[len(ms)-1].Sweep != sw.ID || ms[0].Sweep != 0 {
			t.Errorf("the correcting movement is not marked as the sweep's: %+v", ms[len(ms)-1])
		}
		if _, err := f.svc.FinishSweep(ctx, records, sw.ID); tracking.ErrorCode(err) != tracking.ECONFLICT {
			t.Errorf("finish twice: %v, want conflict", err)
		}
		if _, errs, _ := f.svc.RecordScans(ctx, porter, []tracking.Scan{{Barcode: v[3], Sweep: sw.ID}}); tracking.ErrorCode(errs[0]) != tracking.EINVALID {
			t.Errorf("scan for a finished sweep: %v, want 422", errs[0])
		}
	})
}

func checkSweepReport(t *testing.T, rep *tracking.SweepReport, v []string) {
	t.Helper()
	var seen, notSeen []string
	for _, x := range rep.Seen {
		seen = append(seen, x.Barcode)
	}
	for _, x := range rep.NotSeen {
		notSeen = append(notSeen, x.Barcode)
	}
	if !slices.Equal(seen, []string{v[0], v[1], v[2]}) || !slices.Equal(notSeen, []string{v[3], v[4]}) {
		t.Errorf("seen %v, not seen %v", seen, notSeen)
	}
	if len(rep.Corrected) != 1 || rep.Corrected[0].Volume.Barcode != v[1] || rep.Corrected[0].WasAt.Code != "WARD7" {
		t.Errorf("corrected %+v", rep.Corrected)
	}
	if !slices.Equal(rep.Unknown, []string{"NOTHING-1"}) || rep.Status != tracking.SweepFinished || rep.FinishedBy != records.Name {
		t.Errorf("unknown %v, %s by %s", rep.Unknown, rep.Status, rep.FinishedBy)
	}
	if rep.Seen[0].Current.Code != "WARD9" {
		t.Errorf("a report's volume shows where it is now: %s", rep.Seen[0].Current.Code)
	}
}
