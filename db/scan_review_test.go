package db_test

import (
	"context"
	"testing"

	"github.com/casetrack/casetrack/tracking"
)

// Each scan kept for review says where its device was booking to when it
// scanned, and leaves the unchecked list once someone checks it.
func TestReviewScansBookingToAndChecked(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		for _, sc := range []tracking.Scan{
			{ScanID: "a1", Device: "handheld-1", Barcode: f.wardA.Barcode},
			{ScanID: "x1", Device: "handheld-1", Barcode: "NOSUCH1"},
			{ScanID: "a2", Device: "handheld-1", Barcode: f.wardB.Barcode},
			{ScanID: "x2", Device: "handheld-1", Barcode: "NOSUCH2"},
			{ScanID: "x3", Device: "handheld-2", Barcode: "NOSUCH3"},
			{ScanID: "b1", Device: "handheld-2", Barcode: f.wardA.Barcode},
			{ScanID: "x4", Barcode: "NOSUCH4"},
		} {
			f.scan(t, sc)
		}
		want := map[string]string{"x1": "WARD7", "x2": "WARD9", "x3": "", "x4": ""}
		scans, err := f.svc.ReviewScans(ctx, tracking.ScanFilter{Result: tracking.ResultUnknown})
		if err != nil || len(scans) != 4 {
			t.Fatalf("review = %d scans, %v; want 4", len(scans), err)
		}
		for _, sc := range scans {
			got := ""
			if sc.BookingTo != nil {
				got = sc.BookingTo.Code
			}
			if got != want[sc.ScanID] {
				t.Errorf("%s was booking to %q, want %q", sc.ScanID, got, want[sc.ScanID])
			}
		}
		records := tracking.Actor{Name: "rita", Role: tracking.RoleRecords}
		if _, err := f.svc.CheckScan(ctx, records, "x1"); err != nil {
			t.Fatal(err)
		}
		left, err := f.svc.ReviewScans(ctx, tracking.ScanFilter{Unchecked: true})
		if err != nil || len(left) != 3 {
			t.Errorf("unchecked after one check = %d, %v; want 3", len(left), err)
		}
		one, err := f.svc.FindScans(ctx, tracking.ScanFilter{ScanID: "x1"})
		if err != nil || len(one) != 1 || one[0].CheckedBy != "rita" || one[0].CheckedAt == nil || !one[0].CheckedAt.Equal(f.now) {
			t.Errorf("x1 after its check: %+v, %v; want checked by rita at %v", one, err, f.now)
		}
	})
}
