package db_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db"
	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// bulkVolume is a patient with one volume, as a benchmark loads them:
// where the volume is and since when.
type bulkVolume struct {
	location int64
	since    time.Time
}

// bulkLoad stores a patient and a volume for each item, straight into the
// tables a thousand rows to a statement (through the service it would
// take minutes), ids from first on, and returns the volumes' barcodes.
// Volumes with a location other than their home have a movement there,
// booked by "porter".
func bulkLoad(tb testing.TB, d *db.DB, first int64, home int64, items []bulkVolume) []string {
	tb.Helper()
	barcodes := make([]string, len(items))
	created := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for start := 0; start < len(items); start += 1000 {
		part := items[start:min(start+1000, len(items))]
		var p, v, m []string
		var pa, va, ma []any
		for i, it := range part {
			id := first + int64(start+i)
			barcodes[start+i] = tracking.VolumeBarcode(id)
			p = append(p, "(?, ?, ?, ?, 'bench', ?)")
			pa = append(pa, id, fmt.Sprintf("B%07d", id), "Bench", "Patient", created)
			v = append(v, "(?, ?, 1, ?, 'active', ?, ?, ?, ?, ?)")
			var last *time.Time
			if it.location != home {
				last = &it.since
				m = append(m, "(?, ?, ?, ?, 'porter', 'bench', 'batch', ?)")
				ma = append(ma, id, it.location, it.since, it.since, fmt.Sprintf("bulk-%d", id))
			}
			va = append(va, id, id, barcodes[start+i], home, it.location, it.since, last, created)
		}
		err := d.Gorm().Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("INSERT INTO patients (id, hospital_number, family_name, given_name, family_fold, created_at) VALUES "+
				strings.Join(p, ","), pa...).Error; err != nil {
				return err
			}
			if err := tx.Exec(`INSERT INTO volumes (id, patient_id, number, barcode, status, home_location_id,
				current_location_id, current_since, last_scanned_at, created_at) VALUES `+strings.Join(v, ","), va...).Error; err != nil {
				return err
			}
			if len(m) == 0 {
				return nil
			}
			return tx.Exec(`INSERT INTO movements (volume_id, to_location_id, scanned_at, received_at, by_name, device, channel, scan_id)
				VALUES `+strings.Join(m, ","), ma...).Error
		})
		if err != nil {
			tb.Fatalf("bulk load: %v", err)
		}
	}
	if d.Dialect() == db.Postgres {
		for _, t := range []string{"patients", "volumes", "movements"} {
			d.Gorm().Exec("SELECT setval(pg_get_serial_sequence(?, 'id'), (SELECT max(id) FROM "+t+"))", t)
		}
		d.Gorm().Exec("ANALYZE")
	}
	return barcodes
}

// benchLocations creates locations of a kind, code prefix and number.
func benchLocations(tb testing.TB, svc *tracking.Service, prefix string, kind tracking.LocationKind, n int) []*tracking.Location {
	tb.Helper()
	var out []*tracking.Location
	for i := 1; i <= n; i++ {
		l := &tracking.Location{Code: fmt.Sprintf("%s%d", prefix, i), Name: fmt.Sprintf("%s %d", prefix, i), Kind: kind}
		if n == 1 {
			l.Code, l.Name = prefix, prefix
		}
		if err := svc.CreateLocation(context.Background(), l); err != nil {
			tb.Fatal(err)
		}
		out = append(out, l)
	}
	return out
}

func benchDialects() []string {
	ds := []string{db.SQLite}
	if dbtest.PostgresAvailable() {
		ds = append(ds, db.Postgres)
	}
	return ds
}
