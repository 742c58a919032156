package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// Overdue notes on each database: by the ward's period or the location's
// own, since their arrival (a scan finding them there does not restart
// it), with who booked them there; missing ones are not listed.
func TestOverdueNotes(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		addVolumes(t, f, 3)
		vols, err := f.svc.Store.FindVolumesAt(ctx, f.lib.ID)
		if err != nil || len(vols) != 4 {
			t.Fatalf("volumes: %d, %v", len(vols), err)
		}
		start := f.now
		for i, v := range vols[:3] {
			f.scan(t, tracking.Scan{ScanID: "out" + v.Barcode, Barcode: v.Barcode, Location: []string{"WARD7", "WARD7", "WARD9"}[i]})
		}
		f.now = start.Add(24 * time.Hour)
		f.scan(t, tracking.Scan{ScanID: "again", Barcode: vols[0].Barcode, Location: "WARD7"})
		tenDays := tracking.Period(10 * 24 * time.Hour)
		if _, err := f.svc.UpdateLocation(ctx, "WARD9", tracking.LocationUpdate{LoanPeriod: tracking.Optional[tracking.Period]{Set: true, Value: &tenDays}}); err != nil {
			t.Fatal(err)
		}
		f.setStatus(t, vols[1].Barcode, tracking.StatusMissing, "")
		f.now = start.Add(8 * 24 * time.Hour)
		list, err := f.svc.Overdue(ctx, records)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Volume.Barcode != vols[0].Barcode || !list[0].Since.Equal(start) ||
			list[0].OverdueBy != 86400 || list[0].BookedBy != porter.Name || list[0].Location.Code != "WARD7" {
			t.Fatalf("overdue: %+v", list)
		}
		f.now = start.Add(11 * 24 * time.Hour)
		if list, _ := f.svc.Overdue(ctx, records); len(list) != 2 || list[1].Location.Code != "WARD9" || list[1].LoanPeriod != tenDays {
			t.Errorf("after ten days: %+v", list)
		}
	})
}
