package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

var records = tracking.Actor{Name: "rita", Role: tracking.RoleRecords}

func (f *fixture) setStatus(t *testing.T, barcode string, st tracking.VolumeStatus, note string) *tracking.Volume {
	t.Helper()
	v, err := f.svc.UpdateVolume(context.Background(), records, barcode, tracking.VolumeUpdate{Status: &st, Note: note})
	if err != nil {
		t.Fatalf("status %s: %v", st, err)
	}
	return v
}

// A missing volume found by a lone scan (the single-statement path on
// PostgreSQL) and by a batch: answered found, active again, its history
// ended with who found it; whoever marked it missing is told, and the
// scan's access-log read is written as for any scan.
func TestScanFindsMissingVolume(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		v := f.setStatus(t, f.vol.Barcode, tracking.StatusMissing, "Searched WARD7 and theatres")
		if len(v.StatusHistory) != 1 || v.StatusHistory[0].From != tracking.StatusActive || v.StatusHistory[0].By != records.Name {
			t.Fatalf("history after marking missing: %+v", v.StatusHistory)
		}
		if got := f.scan(t, tracking.Scan{ScanID: "find1", Barcode: f.vol.Barcode, Location: "WARD9"}); !got.Found || got.Result != tracking.ResultMoved {
			t.Fatalf("single scan of a missing volume: %+v", got)
		}
		checkFound(t, f, 2)
		f.setStatus(t, f.vol.Barcode, tracking.StatusMissing, "Not on WARD9 after all")
		recs, _, err := f.svc.RecordScans(ctx, porter, []tracking.Scan{
			{ScanID: "b1", Barcode: f.vol.Barcode, Location: "WARD9"}, {ScanID: "b2", Barcode: f.vol.Barcode, Location: "LIB"}})
		if err != nil {
			t.Fatal(err)
		}
		if a, b := decodeResult(t, recs[0].Response), decodeResult(t, recs[1].Response); !a.Found || b.Found {
			t.Errorf("batch: first found %v, second found %v; want only the first", a.Found, b.Found)
		}
		checkFound(t, f, 4)
		if mine, err := f.svc.Found(ctx, records, true); err != nil || len(mine) != 2 || mine[0].Location.Code != "WARD9" || mine[0].By != porter.Name {
			t.Errorf("found for whoever marked it missing: %+v, %v", mine, err)
		}
		if theirs, _ := f.svc.Found(ctx, porter, true); len(theirs) != 0 {
			t.Errorf("found shown to someone who did not mark it missing: %d", len(theirs))
		}
	})
}

func checkFound(t *testing.T, f *fixture, entries int) {
	t.Helper()
	v, err := f.svc.FindVolume(context.Background(), records, f.vol.Barcode)
	if err != nil {
		t.Fatal(err)
	}
	h := v.StatusHistory
	if v.Status != tracking.StatusActive || len(h) != entries || h[entries-1].From != tracking.StatusMissing ||
		h[entries-1].By != porter.Name || h[entries-1].Note == "" {
		t.Errorf("after the find: %s, history %+v", v.Status, h)
	}
}

// A lone scan resolved while a volume was active, written after someone
// marked it missing, must not slip through the single statement without
// finding it: the status is part of the state that must still hold.
func TestStaleScanOfVolumeMarkedMissingFindsIt(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		stale, err := f.svc.Store.FindVolumeByBarcode(ctx, f.vol.Barcode)
		if err != nil {
			t.Fatal(err)
		}
		f.setStatus(t, f.vol.Barcode, tracking.StatusMissing, "")
		rec := staleScan(stale, f.wardA, tracking.TimestampOf(f.now.Add(time.Minute)))
		if err := f.svc.Store.RecordScans(ctx, resolved{rec}); err != nil {
			t.Fatal(err)
		}
		if got := decodeResult(t, rec.Response); !got.Found {
			t.Errorf("stale scan answered %s, want found", rec.Response)
		}
		checkFound(t, f, 2)
	})
}

// staleScan is a lone scan booking the volume, as read, to the location at
// the time: resolved, to be stored.
func staleScan(v *tracking.Volume, to *tracking.Location, at tracking.Timestamp) *tracking.ScanRecord {
	return &tracking.ScanRecord{
		Scan: tracking.Scan{ScanID: "stale", Barcode: v.Barcode, Location: to.Code, ScannedAt: at,
			Channel: tracking.ChannelAPI, By: porter.Name, Role: porter.Role},
		Raw: v.Barcode, Code: tracking.Code{Kind: tracking.CodeVolume, Value: v.Barcode},
		ReceivedAt: at, Volume: v, Target: to,
		Result: tracking.ScanResult{ScanID: "stale", Volume: v, Location: to, ScannedAt: at, ReceivedAt: at},
	}
}

// Status changes are checked against the status they were decided from,
// and a destroyed volume stays destroyed.
func TestUpdateVolumeStatus(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		c := &tracking.StatusChange{Status: tracking.StatusClosed, From: tracking.StatusMissing, By: "x"}
		err := f.svc.Store.UpdateVolume(ctx, f.vol.ID, tracking.VolumeUpdate{Status: &c.Status, Change: c})
		if tracking.ErrorCode(err) != tracking.ECONFLICT {
			t.Errorf("change decided from a stale status: %v, want a conflict", err)
		}
		f.setStatus(t, f.vol.Barcode, tracking.StatusDestroyed, "Destruction certificate 2026/114")
		st := tracking.StatusActive
		if _, err := f.svc.UpdateVolume(ctx, records, f.vol.Barcode, tracking.VolumeUpdate{Status: &st}); tracking.ErrorCode(err) != tracking.ECONFLICT {
			t.Errorf("revive destroyed: %v", err)
		}
		got := f.scan(t, tracking.Scan{ScanID: "gone", Barcode: f.vol.Barcode, Location: "WARD7"})
		if got.Result != tracking.ResultRejected || f.currentCode(t) != "LIB" {
			t.Errorf("scan of a destroyed volume: %+v, at %s", got, f.currentCode(t))
		}
	})
}

// A change of a volume's status settles the open requests of its patient
// again: a request left waiting only for a volume that is no longer
// wanted (destroyed, closed, archived) is fulfilled; one still wanted
// (missing) keeps it open.
func TestStatusChangeSettlesRequests(t *testing.T) {
	tests := []struct {
		status tracking.VolumeStatus
		want   tracking.RequestStatus
	}{
		{tracking.StatusDestroyed, tracking.RequestFulfilled},
		{tracking.StatusClosed, tracking.RequestFulfilled},
		{tracking.StatusArchived, tracking.RequestFulfilled},
		{tracking.StatusMissing, tracking.RequestOpen},
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			forEachDialect(t, func(t *testing.T, dialect string) {
				f := newFixture(t, dialect)
				ctx := context.Background()
				second, err := f.svc.AddVolume(ctx, records, f.patient.HospitalNumber, tracking.VolumeInput{})
				if err != nil {
					t.Fatal(err)
				}
				f.book(t, "to-ward", f.vol.Barcode, "WARD9")
				r := f.request(t, "WARD9", f.now.Add(time.Hour))
				if r.Status != tracking.RequestOpen {
					t.Fatalf("request with one of two volumes there: %+v", r)
				}
				f.setStatus(t, second.Barcode, tt.status, "Searched the library")
				got := f.findRequest(t, r.ID)
				if got.Status != tt.want {
					t.Errorf("after volume 2 became %s: request %s, want %s", tt.status, got.Status, tt.want)
				}
				if tt.want == tracking.RequestFulfilled && (got.FulfilledAt == nil || got.History[len(got.History)-1].Event != "fulfilled") {
					t.Errorf("fulfilment not recorded: %+v", got)
				}
			})
		})
	}
}
