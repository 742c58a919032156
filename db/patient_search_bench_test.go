package db_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db"
	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/scanner"
	"github.com/casetrack/casetrack/tracking"
)

// BenchmarkSearchPatients measures a search as the lookup page makes it
// (the first 50 with their volumes, the count of all, the same-name flags
// and the access log entries) among 500,000 patients, on each database.
//
//	CASETRACK_TEST_POSTGRES=postgres://... go test -run '^$' -bench SearchPatients -benchtime 50x ./db/
func BenchmarkSearchPatients(b *testing.B) {
	for _, d := range benchDialects() {
		svc := tracking.NewService(dbtest.Open(b, d), scanner.Parse)
		start := time.Now()
		seedPatients(b, svc, 500_000)
		b.Logf("%s: 500,000 patients stored in %s", d, time.Since(start).Round(time.Second))
		for _, q := range []string{"smith", "Smith, Dafydd", "dafydd smith", "smith d", "mith", "h0123456", "zq"} {
			b.Run(d+"/"+q, func(b *testing.B) {
				var found *tracking.PatientSearch
				for i := 0; i < b.N; i++ {
					var err error
					if found, err = svc.SearchPatients(context.Background(), porter, tracking.PatientFilter{Query: q}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(found.Total), "matches")
			})
		}
	}
}

// benchFamilyNames are common surnames, given to a third of the patients
// (each about 0.7%, as Smith is in England); the rest have made-up ones.
var benchFamilyNames = strings.Fields(`Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson
	Roberts Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson
	Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott
	Phillips Watson Davis Parker Price Bennett Young Griffiths`)

var benchGivenNames = strings.Fields(`David Dafydd Mary Ann John Sarah Zoe Sian Oliver Amelia George Isla Harry
	Ava Jack Mia Noah Emily Leo Grace`)

// seedPatients writes n patients straight into the table, a thousand rows
// a statement: going through the service would take an hour.
func seedPatients(b *testing.B, svc *tracking.Service, n int) {
	b.Helper()
	g := svc.Store.(*db.DB).Gorm()
	const batch = 1000
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for from := 0; from < n; from += batch {
		var sql strings.Builder
		sql.WriteString("INSERT INTO patients (hospital_number, family_name, given_name, family_fold, given_fold, birth_date, created_at) VALUES ")
		var args []any
		for i := from; i < min(from+batch, n); i++ {
			if i > from {
				sql.WriteString(",")
			}
			sql.WriteString("(?, ?, ?, ?, ?, ?, ?)")
			family, given := benchName(i)
			args = append(args, fmt.Sprintf("H%07d", i), family, given, strings.ToLower(family), strings.ToLower(given),
				created.AddDate(0, 0, -(i%36500)), created)
		}
		if err := g.Exec(sql.String(), args...).Error; err != nil {
			b.Fatal(err)
		}
	}
	if err := g.Exec("ANALYZE").Error; err != nil {
		b.Fatal(err)
	}
}

// benchName is the i-th patient's family and given name.
func benchName(i int) (string, string) {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	made := func(seed, size int) string {
		k := uint32(seed)
		b := make([]byte, size)
		for j := range b {
			k = k*1103515245 + 12345
			b[j] = letters[(k>>16)%26]
		}
		return strings.ToUpper(string(b[:1])) + string(b[1:])
	}
	pick := uint32(i) * 2654435761 // spreads i so that family and given names do not go together
	family := made(i, 7)
	if i%3 == 0 {
		family = benchFamilyNames[pick%uint32(len(benchFamilyNames))]
	}
	given := made(i+7919, 5)
	if i%2 == 0 {
		given = benchGivenNames[(pick>>8)%uint32(len(benchGivenNames))]
	}
	return family, given
}
