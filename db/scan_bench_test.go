package db_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db"
	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/scanner"
	"github.com/casetrack/casetrack/tracking"
)

// BenchmarkRecordScans measures the ingestion path below HTTP: resolving
// and storing 1,000-scan batches and single scans, on each database; then
// the same with 10,000 open requests for other patients in the database
// (requests10k: scans must not slow down), and with an open request
// elsewhere for every tenth patient scanned (wanted: those scans take the
// locked path and answer where the folder is wanted).
//
//	CASETRACK_TEST_POSTGRES=postgres://... go test -run '^$' -bench RecordScans ./db/
func BenchmarkRecordScans(b *testing.B) {
	for _, d := range benchDialects() {
		for _, variant := range []string{"", "requests10k/", "wanted/"} {
			svc, barcodes := benchService(b, d, 2000)
			switch variant {
			case "requests10k/":
				seedOpenRequests(b, svc.Store.(*db.DB), 10_000, locationID(b, svc, "LIB"), locationID(b, svc, "WARD7"))
			case "wanted/":
				wantEveryTenth(b, svc)
			}
			b.Run(d+"/"+variant+"batch1000", func(b *testing.B) {
				benchScans(b, svc, barcodes, 1000)
			})
			b.Run(d+"/"+variant+"single", func(b *testing.B) {
				benchScans(b, svc, barcodes, 1)
			})
		}
	}
}

// wantEveryTenth asks for every tenth bench patient's notes at LIB, where
// the scans never take them.
func wantEveryTenth(b *testing.B, svc *tracking.Service) {
	clerk := tracking.Actor{Name: "bench", Role: tracking.RoleClerk}
	for i := 0; i < 2000; i += 10 {
		_, err := svc.CreateRequest(context.Background(), clerk, tracking.RequestInput{Patient: fmt.Sprintf("B%06d", i),
			Location: "LIB", NeededBy: time.Now().Add(time.Hour).Format(time.RFC3339)})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func benchService(b *testing.B, dialect string, n int) (*tracking.Service, []string) {
	b.Helper()
	svc := tracking.NewService(dbtest.Open(b, dialect), scanner.Parse)
	ctx := context.Background()
	for _, code := range []string{"LIB", "WARD7", "WARD9"} {
		if err := svc.CreateLocation(ctx, &tracking.Location{Code: code, Name: code, Kind: tracking.KindWard}); err != nil {
			b.Fatal(err)
		}
	}
	var barcodes []string
	for i := 0; i < n; i++ {
		p := &tracking.Patient{HospitalNumber: fmt.Sprintf("B%06d", i), FamilyName: "Bench"}
		if err := svc.CreatePatient(ctx, porter, p, "LIB"); err != nil {
			b.Fatal(err)
		}
		barcodes = append(barcodes, p.Volumes[0].Barcode)
	}
	return svc, barcodes
}

func benchScans(b *testing.B, svc *tracking.Service, barcodes []string, size int) {
	ctx := context.Background()
	start := time.Now()
	n := 0
	for i := 0; i < b.N; i++ {
		scans := make([]tracking.Scan, size)
		for j := range scans {
			k := n + j
			scans[j] = tracking.Scan{ScanID: fmt.Sprintf("b%d-%d-%d", size, start.UnixNano(), k),
				Barcode: barcodes[k%len(barcodes)], Location: []string{"WARD7", "WARD9"}[(k/len(barcodes))%2]}
		}
		n += size
		if _, _, err := svc.RecordScans(ctx, porter, scans); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "scans/s")
}
