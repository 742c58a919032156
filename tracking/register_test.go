package tracking

import (
	"context"
	"errors"
	"testing"
)

func TestRegisterPatient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		p         Patient
		seen      bool
		namesakes int
		created   bool
		field     string
	}{
		{"OKNewName", Patient{HospitalNumber: "H2", FamilyName: "Jones", GivenName: "Mary"}, false, 0, true, ""},
		{"NamesakesShownFirst", Patient{HospitalNumber: "H3", FamilyName: "SMITH", GivenName: "dafydd"}, false, 1, false, ""},
		{"OKNamesakesSeen", Patient{HospitalNumber: "H3", FamilyName: "Smith", GivenName: "Dafydd"}, true, 0, true, ""},
		{"ErrHospitalNumberTaken", Patient{HospitalNumber: "h1", FamilyName: "Jones"}, true, 0, false, "hospital_number"},
		{"ErrNHSNumberTaken", Patient{HospitalNumber: "H4", NHSNumber: "943-476-5919", FamilyName: "Jones"}, true, 0, false, "nhs_number"},
		{"ErrNoFamilyName", Patient{HospitalNumber: "H5", GivenName: "Mary"}, false, 0, false, "family_name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, m := newTestService()
			ctx := context.Background()
			if err := s.CreateLocation(ctx, &Location{Code: "LIB", Name: "Library", Kind: KindLibrary}); err != nil {
				t.Fatal(err)
			}
			known := &Patient{HospitalNumber: "H1", NHSNumber: "9434765919", FamilyName: "Smith", GivenName: "Dafydd"}
			if err := s.CreatePatient(ctx, clerk, known, ""); err != nil {
				t.Fatal(err)
			}
			p := tt.p
			same, err := s.RegisterPatient(ctx, clerk, &p, VolumeInput{}, tt.seen)
			var e *Error
			switch {
			case tt.field != "" && (!errors.As(err, &e) || e.Field != tt.field):
				t.Errorf("RegisterPatient: %v, want an error on %s", err, tt.field)
			case tt.field == "" && err != nil:
				t.Errorf("RegisterPatient: %v", err)
			}
			if len(same) != tt.namesakes {
				t.Errorf("%d namesakes shown, want %d", len(same), tt.namesakes)
			}
			if created := len(m.patients) == 2; created != tt.created {
				t.Errorf("registered = %v, want %v", created, tt.created)
			}
			if tt.created && (len(p.Volumes) != 1 || p.Volumes[0].Number != 1) {
				t.Errorf("registered without volume 1: %+v", p.Volumes)
			}
		})
	}
}

func TestNextVolumeNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		nums []int
		want int
	}{
		{"NoVolumes", nil, 1},
		{"AfterTwo", []int{1, 2}, 3},
		{"AfterTheHighestInAnyOrder", []int{3, 1}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var vols []*Volume
			for _, n := range tt.nums {
				vols = append(vols, &Volume{Number: n})
			}
			if got := NextVolumeNumber(vols); got != tt.want {
				t.Errorf("NextVolumeNumber(%v) = %d, want %d", tt.nums, got, tt.want)
			}
		})
	}
}
