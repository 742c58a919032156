package tracking

import "testing"

func TestSearchFilter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, q string
		want    PatientFilter
	}{
		{"NHSNumberSpaced", "943 476 5919", PatientFilter{NHSNumber: "9434765919"}},
		{"NHSNumberHyphened", "943-476-5919", PatientFilter{NHSNumber: "9434765919"}},
		{"TenDigitsFailingTheirCheckStayAnNHSNumber", "9434765910", PatientFilter{NHSNumber: "9434765910"}},
		{"NineDigitsAreText", "943476591", PatientFilter{Query: "943476591", Limit: 50}},
		{"Name", "o'brien", PatientFilter{Query: "o'brien", Limit: 50}},
		{"HospitalNumber", "RX1/234", PatientFilter{Query: "RX1/234", Limit: 50}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SearchFilter(tt.q); got != tt.want {
				t.Errorf("SearchFilter(%q) = %+v, want %+v", tt.q, got, tt.want)
			}
		})
	}
}

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
