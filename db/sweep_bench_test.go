package db_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/scanner"
	"github.com/casetrack/casetrack/tracking"
)

// BenchmarkFinishSweep measures finishing a sweep of a library bay of
// 5,000 folders on five shelves, and its report as JSON: 4,900 folders
// scanned for it along the shelves in terminal-digit order (of them 50
// recorded on a ward, so booked here, and 10 pairs swapped), 100 not seen.
// Each round scans the bay afresh (not timed) for a new sweep.
//
//	CASETRACK_TEST_POSTGRES=postgres://... go test -run '^$' -bench FinishSweep -benchtime 5x ./db/
func BenchmarkFinishSweep(b *testing.B) {
	for _, d := range benchDialects() {
		bay := sweepBay(b, d, 5000)
		b.Run(d, func(b *testing.B) {
			ctx := context.Background()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				id := bay.scan(b, i)
				b.StartTimer()
				rep, err := bay.svc.FinishSweep(ctx, records, id)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := json.Marshal(rep); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if len(rep.Seen) != 4900 || len(rep.Corrected) != 50 || len(rep.NotSeen) != 100 || len(rep.Misfiles) == 0 {
					b.Fatalf("report: %d seen, %d corrected, %d not seen, %d misfiles", len(rep.Seen), len(rep.Corrected), len(rep.NotSeen), len(rep.Misfiles))
				}
				b.StartTimer()
			}
		})
	}
}

// bayFixture is a bay of folders in shelf order.
type bayFixture struct {
	svc      *tracking.Service
	barcodes []string // in terminal-digit order along the shelves
}

func sweepBay(b *testing.B, dialect string, n int) *bayFixture {
	b.Helper()
	d := dbtest.Open(b, dialect)
	svc := tracking.NewService(d, scanner.Parse)
	ctx := context.Background()
	benchLocations(b, svc, "WARD7", tracking.KindWard, 1)
	for _, l := range []*tracking.Location{{Code: "LIB", Name: "Library", Kind: tracking.KindLibrary},
		{Code: "LIB-A", Name: "Bay A", Kind: tracking.KindLibrary, ParentCode: "LIB"}} {
		if err := svc.CreateLocation(ctx, l); err != nil {
			b.Fatal(err)
		}
	}
	var shelves []int64
	for i := 1; i <= 5; i++ {
		l := &tracking.Location{Code: fmt.Sprintf("LIB-A%d", i), Name: "Shelf", Kind: tracking.KindLibrary, ParentCode: "LIB-A"}
		if err := svc.CreateLocation(ctx, l); err != nil {
			b.Fatal(err)
		}
		shelves = append(shelves, l.ID)
	}
	// Hospital numbers B0000001...: filed by terminal digit, shelf by shelf.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int {
		return compareStrings(tracking.TerminalDigitKey(fmt.Sprintf("B%07d", x+1)), tracking.TerminalDigitKey(fmt.Sprintf("B%07d", y+1)))
	})
	items := make([]bulkVolume, n)
	for k, i := range order {
		items[i] = bulkVolume{location: shelves[k*len(shelves)/n], since: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	}
	all := bulkLoad(b, d, 1, shelves[0], items)
	bay := &bayFixture{svc: svc}
	for _, i := range order {
		bay.barcodes = append(bay.barcodes, all[i])
	}
	return bay
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// scan books 50 of the bay's folders to the ward, starts a sweep, and
// scans the folders for it as a porter walking the shelves would, but for
// 100 nobody finds and 10 out of place.
func (bay *bayFixture) scan(b *testing.B, round int) tracking.SweepID {
	b.Helper()
	ctx := context.Background()
	var away []tracking.Scan
	for i := 0; i < 50; i++ {
		away = append(away, tracking.Scan{ScanID: fmt.Sprintf("away-%d-%d-%d", time.Now().UnixNano(), round, i), Barcode: bay.barcodes[i*100+3], Location: "WARD7"})
	}
	if _, _, err := bay.svc.RecordScans(ctx, porter, away); err != nil {
		b.Fatal(err)
	}
	sw, err := bay.svc.StartSweep(ctx, records, "LIB-A")
	if err != nil {
		b.Fatal(err)
	}
	walk := slices.Clone(bay.barcodes)
	for i := 0; i < 10; i++ {
		j, k := 13+i*450, 13+i*450+200
		walk[j], walk[k] = walk[k], walk[j]
	}
	var scans []tracking.Scan
	for i, bc := range walk {
		if i%50 != 7 {
			scans = append(scans, tracking.Scan{ScanID: fmt.Sprintf("sweep-%d-%d", sw.ID, i), Barcode: bc, Sweep: sw.ID, Device: "bay-walker"})
		}
	}
	if _, _, err := bay.svc.RecordScans(ctx, porter, scans); err != nil {
		b.Fatal(err)
	}
	return sw.ID
}
