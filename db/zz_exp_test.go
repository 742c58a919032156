package db

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

func TestZZLookupVariants(t *testing.T) {
	dsn := os.Getenv("ZZ_DSN")
	if dsn == "" {
		t.Skip()
	}
	d, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var codes []string
	rows, _ := d.gorm.Raw("SELECT barcode FROM volumes LIMIT 2000").Rows()
	for rows.Next() {
		var s string
		rows.Scan(&s)
		codes = append(codes, s)
	}
	rows.Close()
	cur := volumeColumns + "FROM volumes v " + volumeJoins[Postgres] + "WHERE v.barcode = $1 OR v.legacy_barcode = $2"
	noLoc := `SELECT v.id, v.patient_id, v.number, v.barcode, v.legacy_barcode, v.status,
	v.home_location_id, v.current_location_id, v.current_since, v.last_scanned_at, v.created_at,
	(SELECT COUNT(*) FROM volumes v2 WHERE v2.patient_id = v.patient_id) AS volume_count,
	p.hospital_number, p.nhs_number, p.family_name, p.given_name, p.birth_date, p.death_date
	FROM volumes v JOIN LATERAL (SELECT * FROM patients p WHERE p.id = v.patient_id OFFSET 0) p ON true WHERE v.barcode = $1 OR v.legacy_barcode = $2`
	noOr := volumeColumns + "FROM volumes v " + volumeJoins[Postgres] + "WHERE v.barcode = $1 AND $2::text IS NOT NULL"
	bare := `SELECT v.id, v.patient_id FROM volumes v WHERE v.barcode = $1 AND $2::text IS NOT NULL`
	for _, q := range []struct{ name, sql string }{{"cur", cur}, {"noLoc", noLoc}, {"noOr", noOr}, {"bare", bare}, {"cur", cur}} {
		n := 4000
		start := time.Now()
		for i := 0; i < n; i++ {
			rows, err := d.gorm.Statement.ConnPool.QueryContext(ctx, q.sql, codes[i%len(codes)], codes[i%len(codes)])
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
			}
			rows.Close()
		}
		fmt.Printf("%-6s %v/op\n", q.name, time.Since(start)/time.Duration(n))
	}
}
