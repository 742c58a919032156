package db_test

import (
	"context"
	"slices"
	"testing"
	"time"

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

// The access log is read by patient, actor and time (both bounds
// included), newest first, a page at a time, across entries written at
// the same instant, each with its patient.
func TestFindAccessLog(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		d := f.svc.Store.(*db.DB)
		must(t, d.Gorm().Exec("DELETE FROM access_log").Error)
		t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		p := f.patient.ID
		entries := []tracking.Access{
			{At: t0, Actor: "jo", ActorKind: tracking.ActorUser, Role: tracking.RoleClerk, Action: "view_volume", PatientID: p, Detail: "a"},
			{At: t0.Add(time.Hour), Actor: "dock", ActorKind: tracking.ActorToken, Role: tracking.RoleDevice, Action: "scan", PatientID: p, Detail: "b"},
			{At: t0.Add(time.Hour), Actor: "jo", ActorKind: tracking.ActorUser, Role: tracking.RoleClerk, Action: "scan", PatientID: p, Detail: "c"},
			{At: t0.Add(2 * time.Hour), Actor: "ann", ActorKind: tracking.ActorUser, Role: tracking.RoleAdmin, Action: "create_user", Detail: "d"},
			{At: t0.Add(3 * time.Hour), Actor: "jo", ActorKind: tracking.ActorUser, Role: tracking.RoleClerk, Action: "scan", PatientID: p, Detail: "e"},
		}
		must(t, d.LogAccess(ctx, entries))
		tests := []struct {
			name string
			f    tracking.AccessFilter
			want string // details, in order
		}{
			{"All", tracking.AccessFilter{Limit: 10}, "edcba"},
			{"Patient", tracking.AccessFilter{PatientID: p, Limit: 10}, "ecba"},
			{"Actor", tracking.AccessFilter{Actor: "jo", Limit: 10}, "eca"},
			{"FromAndToIncluded", tracking.AccessFilter{From: t0.Add(time.Hour), To: t0.Add(2 * time.Hour), Limit: 10}, "dcb"},
			{"Combined", tracking.AccessFilter{PatientID: p, Actor: "jo", To: t0.Add(time.Hour), Limit: 10}, "ca"},
			{"Limit", tracking.AccessFilter{Limit: 2}, "ed"},
			{"AfterACursorAtATie", tracking.AccessFilter{After: &tracking.AccessCursor{At: t0.Add(time.Hour), ID: idOf(t, d, "c")}, Limit: 10}, "ba"},
		}
		for _, tt := range tests {
			got, err := d.FindAccessLog(ctx, tt.f)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			var details string
			for _, e := range got {
				details += e.Detail
			}
			if details != tt.want {
				t.Errorf("%s: %q, want %q", tt.name, details, tt.want)
			}
		}
		got, _ := d.FindAccessLog(ctx, tracking.AccessFilter{Limit: 1})
		e := got[0]
		if e.Patient == nil || e.Patient.HospitalNumber != "H123456" || e.Patient.FamilyName != "Smith" ||
			e.ActorKind != tracking.ActorUser || !e.At.Equal(t0.Add(3*time.Hour)) {
			t.Errorf("newest entry %+v, patient %+v", e, e.Patient)
		}
	})
}

func idOf(t *testing.T, d *db.DB, detail string) int64 {
	t.Helper()
	var id int64
	must(t, d.Gorm().Raw("SELECT id FROM access_log WHERE detail = ?", detail).Scan(&id).Error)
	return id
}
