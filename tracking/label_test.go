package tracking

import (
	"context"
	"testing"
	"time"
)

func TestVolumeLabel(t *testing.T) {
	t.Parallel()
	born := DateOf(time.Date(1931, 12, 24, 0, 0, 0, 0, time.UTC))
	p := &Patient{ID: 7, HospitalNumber: "H1", NHSNumber: "9434765919", FamilyName: "O'Brien", GivenName: "Siân", BirthDate: &born}
	tests := []struct {
		name     string
		vol      Volume
		sameName bool
		want     Label
	}{
		{"Active", Volume{Barcode: "V000012342", Number: 2, Count: 3, Status: StatusActive, Patient: p}, false,
			Label{Barcode: "V000012342", FamilyName: "O'Brien", GivenName: "Siân", NHSNumber: "9434765919",
				HospitalNumber: "H1", BirthDate: &born, VolumeNumber: 2, VolumeCount: 3}},
		{"TemporaryFolderCarriesItsBanner", Volume{Barcode: "V1", Number: 1, Count: 1, Status: StatusTemporary, Patient: p}, false,
			Label{Barcode: "V1", FamilyName: "O'Brien", GivenName: "Siân", NHSNumber: "9434765919", HospitalNumber: "H1",
				BirthDate: &born, VolumeNumber: 1, VolumeCount: 1, Temporary: true}},
		{"SameNameAlert", Volume{Barcode: "V1", Number: 1, Count: 1, Status: StatusClosed, Patient: p}, true,
			Label{Barcode: "V1", FamilyName: "O'Brien", GivenName: "Siân", NHSNumber: "9434765919", HospitalNumber: "H1",
				BirthDate: &born, VolumeNumber: 1, VolumeCount: 1, SameNameAlert: true}},
		{"NoPatientRead", Volume{Barcode: "V1", Number: 1}, false, Label{Barcode: "V1", VolumeNumber: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := VolumeLabel(&tt.vol, tt.sameName); got != tt.want {
				t.Errorf("VolumeLabel =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

// A selection prints volumes first, then locations; patients sharing a
// name carry the alert, and reading them for labels is audited.
func TestSelectLabels(t *testing.T) {
	t.Parallel()
	s, m := newTestService()
	ctx := context.Background()
	libLoc := &Location{Code: "LIB", Name: "Library", Kind: KindLibrary}
	ward := &Location{Code: "WARD7", Name: "Ward 7", Kind: KindWard}
	for _, l := range []*Location{libLoc, ward} {
		if err := s.CreateLocation(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	var vols []string
	for _, hn := range []string{"H1", "H2", "H3"} {
		p := &Patient{HospitalNumber: hn, FamilyName: map[string]string{"H1": "Smith", "H2": "Jones", "H3": "SMITH"}[hn], GivenName: "Jo"}
		if err := s.CreatePatient(ctx, clerk, p, ""); err != nil {
			t.Fatal(err)
		}
		vols = append(vols, p.Volumes[0].Barcode)
	}
	set, err := s.SelectLabels(ctx, clerk, LabelSelection{Locations: []string{"ward7"}, Volumes: vols[:2], Patients: []string{"h3"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range set.Labels() {
		got = append(got, l.Barcode+map[bool]string{true: "!", false: ""}[l.SameNameAlert]+map[bool]string{true: "@", false: ""}[l.ForLocation])
	}
	want := []string{vols[0] + "!", vols[1], vols[2] + "!", ward.Barcode + "@"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
		t.Errorf("labels %v, want %v", got, want)
	}
	audited := 0
	for _, e := range m.access {
		if e.Action == "label" && e.Actor == clerk.Name {
			audited++
		}
	}
	if audited != 3 {
		t.Errorf("%d patients audited for labels, want 3", audited)
	}
	if _, err := s.SelectLabels(ctx, clerk, LabelSelection{}); ErrorCode(err) != EINVALID {
		t.Errorf("an empty selection: %v, want invalid", err)
	}
}
