package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// The request report on both databases: a request met by a scan before
// its need is on time, one still open past its need is overdue, and one
// needed outside the range is not counted.
func TestRequestReportStored(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		f.svc.Zone = time.UTC
		ctx := context.Background()
		f.request(t, "WARD9", f.now.Add(time.Hour))
		f.book(t, "met", f.vol.Barcode, "WARD9")
		f.request(t, "WARD7", f.now.Add(2*time.Hour))
		f.request(t, "WARD7", f.now.Add(72*time.Hour)) // another day
		f.now = f.now.Add(3 * time.Hour)
		day := tracking.DateOf(f.now)
		r, err := f.svc.RequestReport(ctx, day, day)
		if err != nil {
			t.Fatal(err)
		}
		if r.Total.Requested != 2 || r.Total.Fulfilled != 1 || r.Total.OnTime != 1 || r.Total.Overdue != 1 || r.Total.OnTimePercent != 50 {
			t.Fatalf("total %+v", r.Total)
		}
		if len(r.Rows) != 2 || r.Rows[0].Location == nil || r.Rows[0].Requested != 1 {
			t.Fatalf("rows %+v", r.Rows)
		}
		if _, err := f.svc.RequestReport(ctx, day, tracking.Date{Time: day.AddDate(0, 0, -1)}); tracking.ErrorCode(err) != tracking.EINVALID {
			t.Fatalf("a range ending before it starts: %v", err)
		}
	})
}
