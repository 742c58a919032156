package tracking

import (
	"reflect"
	"testing"
)

func TestParseNameQuery(t *testing.T) {
	t.Parallel()
	type r = NameReading
	tests := []struct {
		name, q string
		want    NameQuery
	}{
		{"Empty", "  ", NameQuery{}},
		{"OneWordIsAFamilyName", "smith", NameQuery{Part: "smith", Names: []r{{Family: "smith"}}}},
		{"HospitalNumberIsOneWord", "RX1/234", NameQuery{Part: "RX1/234", Names: []r{{Family: "RX1/234"}}}},
		{"TwoWordsBothWays", "Dafydd Smith",
			NameQuery{Part: "Dafydd Smith", Names: []r{{Family: "Smith", Given: "Dafydd"}, {Family: "Dafydd", Given: "Smith"}}}},
		{"FamilyAndInitial", "smith d",
			NameQuery{Part: "smith d", Names: []r{{Family: "d", Given: "smith"}, {Family: "smith", Given: "d"}}}},
		{"SpacesCollapse", "  smith \t  d ",
			NameQuery{Part: "smith d", Names: []r{{Family: "d", Given: "smith"}, {Family: "smith", Given: "d"}}}},
		{"CommaGivesFamilyThenGiven", "Smith, Dafydd", NameQuery{Part: "Smith, Dafydd", Names: []r{{Family: "Smith", Given: "Dafydd"}}}},
		{"CommaWithoutSpace", "smith,d", NameQuery{Part: "smith,d", Names: []r{{Family: "smith", Given: "d"}}}},
		{"CommaAloneAfterFamily", "Smith,", NameQuery{Part: "Smith,", Names: []r{{Family: "Smith"}}}},
		{"CommaFamilyOfTwoWords", "De La Cruz, Maria",
			NameQuery{Part: "De La Cruz, Maria", Names: []r{{Family: "De La Cruz", Given: "Maria"}}}},
		{"CommaWithoutFamilyIsOnlyAPart", ", Dafydd", NameQuery{Part: ", Dafydd"}},
		{"ThreeWordsAtEachGap", "Mary Ann Smith", NameQuery{Part: "Mary Ann Smith", Names: []r{
			{Family: "Ann Smith", Given: "Mary"}, {Family: "Mary", Given: "Ann Smith"},
			{Family: "Smith", Given: "Mary Ann"}, {Family: "Mary Ann", Given: "Smith"}}}},
		{"TooManyWordsAreOnlyAPart", "a b c d e f g", NameQuery{Part: "a b c d e f g"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseNameQuery(tt.q); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseNameQuery(%q) = %+v, want %+v", tt.q, got, tt.want)
			}
		})
	}
}

func TestPatientSearchMore(t *testing.T) {
	t.Parallel()
	two := []*Patient{{ID: 1}, {ID: 2}}
	tests := []struct {
		name string
		r    PatientSearch
		want bool
	}{
		{"AllListed", PatientSearch{Patients: two, Total: 2}, false},
		{"StoppedAtTheLimit", PatientSearch{Patients: two, Total: 3}, true},
		{"NoneFound", PatientSearch{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.More(); got != tt.want {
				t.Errorf("More() = %v, want %v", got, tt.want)
			}
		})
	}
}
