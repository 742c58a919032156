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
