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
// and storing 1,000-scan batches and single scans, on each database.
//
//	CASETRACK_TEST_POSTGRES=postgres://... go test -run '^$' -bench RecordScans ./db/
func BenchmarkRecordScans(b *testing.B) {
	for _, d := range benchDialects() {
		svc, barcodes := benchService(b, d, 2000)
		b.Run(d+"/batch1000", func(b *testing.B) {
			benchScans(b, svc, barcodes, 1000)
		})
		b.Run(d+"/single", func(b *testing.B) {
			benchScans(b, svc, barcodes, 1)
		})
	}
}

// benchDialects are the databases a benchmark runs on: SQLite, and
// PostgreSQL when there is one.
func benchDialects() []string {
	if dbtest.PostgresAvailable() {
		return []string{db.SQLite, db.Postgres}
	}
	return []string{db.SQLite}
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
