package tracking

import (
	"context"
	"testing"
)

// MaskLocation: a sensitive location is named beside a patient only to
// those who fetch notes; others see a restricted location with no code.
func TestMaskLocation(t *testing.T) {
	t.Parallel()
	gum := &Location{Code: "GUM", Name: "Sexual Health Clinic", Kind: KindClinic, Sensitive: true}
	for _, tc := range []struct {
		role      Role
		sensitive bool
		masked    bool
	}{
		{RoleClerk, true, true}, {RolePorter, true, true}, {RoleDevice, true, true},
		{RoleLibrary, true, false}, {RoleRecords, true, false}, {RoleAdmin, true, false},
		{RoleClerk, false, false},
	} {
		got := MaskLocation(gum, tc.sensitive, tc.role)
		if masked := got != gum; masked != tc.masked {
			t.Errorf("%s, sensitive %v: masked %v", tc.role, tc.sensitive, masked)
		}
		if tc.masked && (got.Code != "" || got.Name != RestrictedName || gum.Name != "Sexual Health Clinic") {
			t.Errorf("%s: shown %+v, original now %+v", tc.role, got, gum)
		}
	}
	if MaskLocation(nil, true, RoleClerk) != nil {
		t.Error("no location became one")
	}
}

// Through the service: a clerk finds the volume at a restricted location
// and its history without the place; the library sees both; what is at
// the place is the library's to list.
func TestSensitiveLocationMasked(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	ctx := context.Background()
	gum := &Location{Code: "GUM", Name: "Sexual Health Clinic", Kind: KindClinic, Sensitive: true}
	if err := f.s.CreateLocation(ctx, gum); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.RecordScan(ctx, porter, Scan{ScanID: "s1", Barcode: f.vol.Barcode, Location: "GUM", ScannedAt: TimestampOf(at(1))}); err != nil {
		t.Fatal(err)
	}
	v, err := f.s.FindVolume(ctx, clerk, f.vol.Barcode)
	if err != nil || v.Current == nil || v.Current.Name != RestrictedName || v.Current.Code != "" {
		t.Fatalf("the clerk's volume: %+v, %v", v, err)
	}
	ms := []*Movement{{From: "LIB", To: "GUM"}, {From: "GUM", To: "WARD7"}}
	if err := f.s.maskMovements(ctx, clerk, ms); err != nil || ms[0].To != RestrictedName || ms[1].From != RestrictedName ||
		ms[0].From != "LIB" || ms[1].To != "WARD7" {
		t.Fatalf("the clerk's history: %+v %+v, %v", ms[0], ms[1], err)
	}
	ps, err := f.s.FindPatients(ctx, clerk, PatientFilter{HospitalNumber: "H1"})
	if err != nil || len(ps) != 1 || ps[0].Volumes[0].Current.Name != RestrictedName {
		t.Fatalf("the clerk's search: %+v, %v", ps, err)
	}
	library := Actor{Name: "lib", Role: RoleLibrary}
	if v, err := f.s.FindVolume(ctx, library, f.vol.Barcode); err != nil || v.Current.Code != "GUM" {
		t.Fatalf("the library's volume: %+v, %v", v, err)
	}
	if _, _, err := f.s.VolumesAt(ctx, clerk, "GUM"); ErrorCode(err) != EFORBIDDEN {
		t.Fatalf("the clerk lists what is at GUM: %v", err)
	}
}
