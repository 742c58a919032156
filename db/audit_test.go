package db_test

import (
	"context"
	"slices"
	"testing"

	"github.com/casetrack/casetrack/db"
	"github.com/casetrack/casetrack/tracking"
)

// A scan's access-log entry says what kind of actor scanned, on every
// way a scan is written: a lone scan (one statement on PostgreSQL) and a
// batch (a chunk to a transaction).
func TestScanReadsRecordActorKind(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		dock := tracking.Actor{Name: "ward7-dock", Role: tracking.RoleDevice, Kind: tracking.ActorToken}
		jo := tracking.Actor{Name: "jo", Role: tracking.RolePorter, Kind: tracking.ActorUser}
		if _, err := f.svc.RecordScan(ctx, dock, tracking.Scan{ScanID: "one", Barcode: f.vol.Barcode, Location: "WARD7"}); err != nil {
			t.Fatal(err)
		}
		batch := []tracking.Scan{{ScanID: "b1", Barcode: f.vol.Barcode, Location: "WARD9"},
			{ScanID: "b2", Barcode: f.vol.Barcode, Location: "LIB"}}
		if _, _, err := f.svc.RecordScans(ctx, jo, batch); err != nil {
			t.Fatal(err)
		}
		var rows []struct{ Actor, ActorKind, Detail string }
		g := f.svc.Store.(*db.DB).Gorm()
		must(t, g.Raw("SELECT actor, actor_kind, detail FROM access_log WHERE action = 'scan' ORDER BY id").Scan(&rows).Error)
		want := []struct{ Actor, ActorKind, Detail string }{{"ward7-dock", "token", "one"}, {"jo", "user", "b1"}, {"jo", "user", "b2"}}
		if len(rows) != len(want) {
			t.Fatalf("scan entries %+v, want %+v", rows, want)
		}
		for i := range want {
			if rows[i] != want[i] {
				t.Errorf("entry %d: %+v, want %+v", i, rows[i], want[i])
			}
		}
	})
}

// A scan id sent again by someone else, alone (caught by its claim on the
// scan id) or in a batch (looked up before resolving), writes an entry
// for them, on each database.
func TestRepeatedScansAreAudited(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		kim := tracking.Actor{Name: "kim", Role: tracking.RoleClerk, Kind: tracking.ActorUser}
		for _, id := range []string{"alone", "listed"} {
			if _, err := f.svc.RecordScan(ctx, porter, tracking.Scan{ScanID: id, Barcode: f.vol.Barcode, Location: "WARD7"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.RecordScan(ctx, kim, tracking.Scan{ScanID: "alone", Barcode: f.vol.Barcode, Location: "WARD9"}); err != nil {
			t.Fatal(err)
		}
		batch := []tracking.Scan{{ScanID: "listed", Barcode: f.vol.Barcode}, {ScanID: "new", Barcode: f.vol.Barcode, Location: "LIB"}}
		if _, _, err := f.svc.RecordScans(ctx, kim, batch); err != nil {
			t.Fatal(err)
		}
		var rows []struct {
			Action, Detail string
			PatientID      int64
		}
		g := f.svc.Store.(*db.DB).Gorm()
		must(t, g.Raw("SELECT action, detail, patient_id FROM access_log WHERE actor = 'kim' ORDER BY detail").Scan(&rows).Error)
		want := []struct {
			Action, Detail string
			PatientID      int64
		}{{"scan_repeat", "alone", f.patient.ID}, {"scan_repeat", "listed", f.patient.ID}, {"scan", "new", f.patient.ID}}
		if !slices.Equal(rows, want) {
			t.Errorf("kim's entries %+v, want %+v", rows, want)
		}
	})
}
