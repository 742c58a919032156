package csvimport

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestHeaderAnyCaseAndOrder(t *testing.T) {
	t.Parallel()
	file := "\r\n  \r\n" +
		" Family Name ,GIVEN_NAME,Death-Date,Sex,hospital_number,NHS_Number,Birth_Date,Address 1,\r\n" +
		"Smith,Ann,,F,h1,943 476 5919,24/12/1931,\"1 High St, Leeds\",\r\n"
	rd, err := NewPatientReader(strings.NewReader(file), Options{Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"sex", "address_1"}; !slices.Equal(rd.Ignored(), want) {
		t.Errorf("Ignored() = %q, want %q", rd.Ignored(), want)
	}
	rows, errs := readAll(t, rd)
	if len(errs) > 0 || len(rows) != 1 {
		t.Fatalf("rows %+v, errors %v", rows, errs)
	}
	p := rows[0].Patient
	if rows[0].Line != 4 || p.HospitalNumber != "H1" || p.NHSNumber != "9434765919" || p.FamilyName != "Smith" ||
		p.GivenName != "Ann" || p.BirthDate.String() != "1931-12-24" || p.DeathDate != nil {
		t.Errorf("line %d: %+v", rows[0].Line, p)
	}
}

func TestHeaderRefused(t *testing.T) {
	t.Parallel()
	all := strings.TrimSuffix(patientHeader, "\n")
	tests := []struct {
		name, file string
		line       int
		field      string
		message    string // a part of it
	}{
		{"ErrEmpty", "", 1, "", "The file is empty"},
		{"ErrOnlyBlankLines", "\n\r\n , ,\n", 1, "", "The file is empty"},
		{"ErrMissingColumn", "hospital_number,nhs_number,family_name,given_name,birth_date\nH1,,A,,\n", 1, "death_date",
			"The header has no column death_date: a patients file has the columns " + all},
		{"ErrMissingColumns", "\nhospital_number,family_name\n", 2, "nhs_number", "no columns nhs_number, given_name, birth_date, death_date"},
		{"ErrNoHeader", "H1,9434765919,SMITH,John,1950-01-01,\n", 1, "hospital_number", "The header has no columns"},
		{"ErrSemicolons", "hospital_number;nhs_number;family_name;given_name;birth_date;death_date\n", 1, "hospital_number",
			"Columns must be separated by commas."},
		{"ErrTwice", patientHeader[:len(patientHeader)-1] + ",Family_Name\n", 1, "family_name", "names the column family_name twice"},
		{"ErrBadQuote", "\"hospital_number,nhs_number\n", 1, "", "The header cannot be read"},
		{"ErrSpreadsheet", "PK\x03\x04\x14\x00\x06\x00", 1, "", "is a spreadsheet"},
		{"ErrOldSpreadsheet", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 1, "", "is a spreadsheet"},
		{"ErrUTF16", "\xff\xfeh\x00o\x00", 1, "", "UTF-16"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewPatientReader(strings.NewReader(tc.file), Options{})
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("error %v, want a *LineError", err)
			}
			if le.Line != tc.line || le.Field != tc.field || !strings.Contains(le.Message, tc.message) {
				t.Errorf("got %+v, want line %d, field %q, a message with %q", le, tc.line, tc.field, tc.message)
			}
		})
	}
}

func TestHeaderReadFailureIsNotALineError(t *testing.T) {
	t.Parallel()
	_, err := NewPatientReader(stream{&errAfter{strings.NewReader(patientHeader), 10}}, Options{})
	var le *LineError
	if err == nil || errors.As(err, &le) {
		t.Errorf("error %v, want a read error", err)
	}
}
