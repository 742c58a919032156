package db_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db"
	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/scanner"
	"github.com/casetrack/casetrack/tracking"
)

var porter = tracking.Actor{Name: "porter1", Role: tracking.RolePorter}

// fixture is a service over a fresh database with a library, two wards and
// one patient, and a clock the test moves by hand.
type fixture struct {
	svc     *tracking.Service
	now     time.Time
	lib     *tracking.Location
	wardA   *tracking.Location
	wardB   *tracking.Location
	patient *tracking.Patient
	vol     *tracking.Volume
}

func newFixture(t *testing.T, dialect string) *fixture {
	t.Helper()
	f := &fixture{now: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)}
	f.svc = tracking.NewService(dbtest.Open(t, dialect), scanner.Parse)
	f.svc.Now = func() time.Time { return f.now }
	ctx := context.Background()
	f.lib = mustLocation(t, f.svc, "LIB", tracking.KindLibrary)
	f.wardA = mustLocation(t, f.svc, "WARD7", tracking.KindWard)
	f.wardB = mustLocation(t, f.svc, "WARD9", tracking.KindWard)
	f.patient = &tracking.Patient{HospitalNumber: "H123456", NHSNumber: "943 476 5919", FamilyName: "Smith", GivenName: "Zoë"}
	if err := f.svc.CreatePatient(ctx, porter, f.patient, ""); err != nil {
		t.Fatalf("create patient: %v", err)
	}
	f.vol = f.patient.Volumes[0]
	return f
}

func mustLocation(t *testing.T, svc *tracking.Service, code string, kind tracking.LocationKind) *tracking.Location {
	t.Helper()
	l := &tracking.Location{Code: code, Name: code + " name", Kind: kind}
	if err := svc.CreateLocation(context.Background(), l); err != nil {
		t.Fatalf("create location %s: %v", code, err)
	}
	return l
}

func (f *fixture) scan(t *testing.T, sc tracking.Scan) tracking.ScanResult {
	t.Helper()
	rec, err := f.svc.RecordScan(context.Background(), porter, sc)
	if err != nil {
		t.Fatalf("scan %+v: %v", sc, err)
	}
	return decodeResult(t, rec.Response)
}

func (f *fixture) currentCode(t *testing.T) string {
	t.Helper()
	v, err := f.svc.FindVolume(context.Background(), porter, f.vol.Barcode)
	if err != nil {
		t.Fatalf("find volume: %v", err)
	}
	return v.Current.Code
}

func forEachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, d)
		})
	}
}

func TestCreatePatientGivesVolumeOneAtLibrary(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		if f.vol.Number != 1 || f.vol.Current.Code != "LIB" || f.vol.Barcode != tracking.VolumeBarcode(f.vol.ID) {
			t.Fatalf("volume = %+v", f.vol)
		}
		if f.patient.NHSNumber != "9434765919" {
			t.Errorf("NHS number stored as %q", f.patient.NHSNumber)
		}
		dup := &tracking.Patient{HospitalNumber: "H123456", FamilyName: "Jones"}
		if err := f.svc.CreatePatient(context.Background(), porter, dup, ""); tracking.ErrorCode(err) != tracking.ECONFLICT {
			t.Errorf("duplicate hospital number: err = %v, want conflict", err)
		}
		v2, err := f.svc.AddVolume(context.Background(), porter, "h123456", tracking.VolumeInput{})
		if err != nil || v2.Number != 2 {
			t.Fatalf("AddVolume = %+v, %v", v2, err)
		}
	})
}

// An in-memory SQLite database would lose every acknowledged scan at exit,
// so it is refused with a message naming the fix.
func TestOpenRefusesInMemorySQLite(t *testing.T) {
	for _, dsn := range []string{":memory:", "sqlite::memory:", "file::memory:?cache=shared", "file:x?mode=memory"} {
		_, err := db.Open(context.Background(), dsn)
		if err == nil || !strings.Contains(err.Error(), "file path") {
			t.Errorf("Open(%q) = %v, want a refusal asking for a file path", dsn, err)
		}
	}
}
