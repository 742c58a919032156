package tracking

import "testing"

func TestPatientNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   Patient
		want Patient
	}{
		{"OKAlreadyTidy",
			Patient{HospitalNumber: "H123", NHSNumber: "9434765919", FamilyName: "SMITH", GivenName: "Ann"},
			Patient{HospitalNumber: "H123", NHSNumber: "9434765919", FamilyName: "SMITH", GivenName: "Ann"}},
		{"OKSpacedNHSNumberAndLowerCaseHospitalNumber",
			Patient{HospitalNumber: " h123 ", NHSNumber: " 943 476 5919 ", FamilyName: " Smith ", GivenName: "\tAnn "},
			Patient{HospitalNumber: "H123", NHSNumber: "9434765919", FamilyName: "Smith", GivenName: "Ann"}},
		{"OKHyphenatedNHSNumber",
			Patient{HospitalNumber: "h-1/2", NHSNumber: "943-476-5919"},
			Patient{HospitalNumber: "H-1/2", NHSNumber: "9434765919"}},
		{"OKOtherCharactersKeptForValidate",
			Patient{NHSNumber: "943.476.5919"},
			Patient{NHSNumber: "943.476.5919"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.in
			p.Normalize()
			if p.HospitalNumber != tc.want.HospitalNumber || p.NHSNumber != tc.want.NHSNumber ||
				p.FamilyName != tc.want.FamilyName || p.GivenName != tc.want.GivenName {
				t.Errorf("Normalize(%+v) = %+v, want %+v", tc.in, p, tc.want)
			}
		})
	}
}
