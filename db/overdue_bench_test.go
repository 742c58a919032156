package db_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/scanner"
	"github.com/casetrack/casetrack/tracking"
)

// BenchmarkOverdue measures the overdue list below HTTP (the service's
// queries, its access-log entries and the JSON answer) on a trust of
// 500,000 volumes: 475,000 in the library and 25,000 away at 60 wards,
// clinics and offices, of which a fifth have been away longer than their
// loan period (5,000 overdue); the "all" case has every volume away
// overdue (25,000).
//
//	CASETRACK_TEST_POSTGRES=postgres://... go test -run '^$' -bench Overdue -benchtime 20x ./db/
func BenchmarkOverdue(b *testing.B) {
	for _, d := range benchDialects() {
		for _, c := range []struct {
			name    string
			overdue float64 // the share of volumes away that are overdue
		}{{"fifth", 0.2}, {"all", 1}} {
			svc, n := overdueTrust(b, d, 500_000, 25_000, c.overdue)
			b.Run(d+"/"+c.name, func(b *testing.B) {
				ctx := context.Background()
				for i := 0; i < b.N; i++ {
					list, err := svc.Overdue(ctx, records)
					if err != nil {
						b.Fatal(err)
					}
					if len(list) != n {
						b.Fatalf("%d overdue, want %d", len(list), n)
					}
					if _, err := json.Marshal(map[string]any{"volumes": list}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n), "overdue")
			})
		}
	}
}

// overdueTrust loads a trust of total volumes, away of them at 60
// locations away from the library, the share overdue of those past their
// loan period, and says how many are overdue.
func overdueTrust(b testing.TB, dialect string, total, away int, overdue float64) (*tracking.Service, int) {
	b.Helper()
	d := dbtest.Open(b, dialect)
	svc := tracking.NewService(d, scanner.Parse)
	lib := benchLocations(b, svc, "LIB", tracking.KindLibrary, 1)[0]
	var places []*tracking.Location
	places = append(places, benchLocations(b, svc, "WARD", tracking.KindWard, 30)...)
	places = append(places, benchLocations(b, svc, "OPD", tracking.KindClinic, 20)...)
	places = append(places, benchLocations(b, svc, "SEC", tracking.KindOffice, 10)...)
	now := time.Now()
	items := make([]bulkVolume, total)
	n := 0
	for i := range items {
		items[i] = bulkVolume{location: lib.ID, since: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
		if i%(total/away) != 0 {
			continue
		}
		l := places[(i/(total/away))%len(places)]
		period, _ := svc.Loans.PeriodAt(l)
		// Spread over the period, and past it for the share overdue.
		f := float64(i%997) / 997
		if f < overdue {
			f = 1.01 + f
			n++
		}
		items[i] = bulkVolume{location: l.ID, since: now.Add(-time.Duration(f * float64(period)))}
	}
	bulkLoad(b, d, 1, lib.ID, items)
	return svc, n
}
