package csvimport

import (
	"slices"
	"strings"
	"testing"
)

func TestPatientLines(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("A", 101)
	tests := []struct {
		name, line string
		field      string // the error's field; "-" for none
		check      func(r PatientRow) bool
	}{
		{"OK", "H1,9434765919,SMITH,Ann,1950-02-03,", "-", func(r PatientRow) bool {
			return r.Patient.BirthDate.String() == "1950-02-03" && r.Patient.DeathDate == nil
		}},
		{"OKSpacedNHSNumberLowerCaseHospitalNumber", " h1 , 943 476 5919 ,Smith , Ann ,,", "-", func(r PatientRow) bool {
			p := r.Patient
			return p.HospitalNumber == "H1" && p.NHSNumber == "9434765919" && p.FamilyName == "Smith" && p.GivenName == "Ann"
		}},
		{"OKDayFirstDates", "H1,,SMITH,,03/02/1950,7/8/2020", "-", func(r PatientRow) bool {
			return r.Patient.BirthDate.String() == "1950-02-03" && r.Patient.DeathDate.String() == "2020-08-07"
		}},
		{"OKDateWithMidnight", "H1,,SMITH,,03/02/1950 00:00,", "-", func(r PatientRow) bool {
			return r.Patient.BirthDate.String() == "1950-02-03"
		}},
		{"OKQuotedNames", `H1,,"O""Neill","Mary, Jane",,`, "-", func(r PatientRow) bool {
			return r.Patient.FamilyName == `O"Neill` && r.Patient.GivenName == "Mary, Jane"
		}},
		{"OKNoNHSNumberNoGivenName", "H1,,SMITH,,,", "-", func(r PatientRow) bool {
			return r.Patient.NHSNumber == "" && r.Patient.GivenName == "" && r.Patient.BirthDate == nil
		}},
		{"ErrNHSCheckDigit", "H1,9434765918,SMITH,,,", "nhs_number", nil},
		{"ErrNHSNumberShort", "H1,943476591,SMITH,,,", "nhs_number", nil},
		{"ErrNHSNumberLetters", "H1,943476591X,SMITH,,,", "nhs_number", nil},
		{"ErrFamilyNameMissing", "H1,,,Ann,,", "family_name", nil},
		{"ErrFamilyNameTooLong", "H1,," + long + ",,,", "family_name", nil},
		{"ErrGivenNameTooLong", "H1,,SMITH," + long + ",,", "given_name", nil},
		{"ErrControlCharacter", "H1,,SM\x01ITH,,,", "family_name", nil},
		{"ErrNameOverTwoLines", "H1,,\"SMITH\nJONES\",,,", "family_name", nil},
		{"ErrHospitalNumberMissing", ",,SMITH,,,", "hospital_number", nil},
		{"ErrHospitalNumberSpace", "H 1,,SMITH,,,", "hospital_number", nil},
		{"ErrHospitalNumberTooLong", strings.Repeat("1", 21) + ",,SMITH,,,", "hospital_number", nil},
		{"ErrNoSuchDay", "H1,,SMITH,,31/02/1950,", "birth_date", nil},
		{"ErrMonthFirst", "H1,,SMITH,,12/31/1950,", "birth_date", nil},
		{"ErrTwoDigitYear", "H1,,SMITH,,03/02/50,", "birth_date", nil},
		{"ErrDateWithTime", "H1,,SMITH,,1950-02-03 10:30,", "birth_date", nil},
		{"ErrBornInTheFuture", "H1,,SMITH,,2025-06-02,", "birth_date", nil},
		{"ErrDeathBeforeBirth", "H1,,SMITH,,1950-02-03,1949-01-01", "death_date", nil},
		{"ErrBadDeathDate", "H1,,SMITH,,,yesterday", "death_date", nil},
		{"ErrTooFewValues", "H1,,SMITH,,", "", nil},
		{"ErrTooManyValues", "H1,,SMITH,John,1950-02-03,,X", "", nil},
		{"ErrEmptyValuesBeyondHeader", "H1,,SMITH,,,,", "", nil},
		{"ErrUnquotedComma", "H1,,Smith, Ann,,,", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, errs := readFile(t, NewPatientReader, strings.NewReader(patientHeader+tc.line+"\r\n"))
			checkOneLine(t, rows, errs, tc.field, func(r PatientRow) bool { return r.Line == 2 && (tc.check == nil || tc.check(r)) })
		})
	}
}

func TestPatientKeysOnceAFile(t *testing.T) {
	t.Parallel()
	file := patientHeader +
		"H1,9434765919,A,,,\n" + // line 2
		"h1,,B,,,\n" + // the same hospital number
		"H2,943 476 5919,C,,,\n" + // the same NHS number
		"H3,,,,,\n" + // refused: no family name, so H3 stays free
		"H3,,D,,,\n" +
		"H4,,E,,,\n" // no NHS number twice is fine
	rows, errs := readFile(t, NewPatientReader, strings.NewReader(file))
	var got []string
	for _, r := range rows {
		got = append(got, r.Patient.FamilyName)
	}
	if strings.Join(got, "") != "ADE" {
		t.Errorf("rows %q, want A, D, E", got)
	}
	want := []LineError{
		{Line: 3, Field: "hospital_number", Message: "Hospital number H1 is already on line 2."},
		{Line: 4, Field: "nhs_number", Message: "NHS number 943 476 5919 is already on line 2."},
		{Line: 5, Field: "family_name", Message: "Family name is required."},
	}
	if !slices.Equal(errs, want) {
		t.Errorf("errors\n%v\nwant\n%v", errs, want)
	}
}
