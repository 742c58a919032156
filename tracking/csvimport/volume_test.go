package csvimport

import (
	"slices"
	"strings"
	"testing"

	"github.com/casetrack/casetrack/tracking"
)

const volumeHeader = "hospital_number,volume_number,barcode,status,home,location\n"

func TestVolumeLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, line string
		field      string // the error's field; "-" for none
		want       VolumeRow
	}{
		{"OK", "H1,2,OLD123,closed,LIB,W12", "-",
			VolumeRow{Line: 2, HospitalNumber: "H1", Number: 2, LegacyBarcode: "OLD123", Status: tracking.StatusClosed, Home: "LIB", Location: "W12"}},
		{"OKDefaults", "h1,1,,,,", "-",
			VolumeRow{Line: 2, HospitalNumber: "H1", Number: 1}},
		{"OKLegacyBarcodeKeptExactly", " h1 ,01, ab-12/x ,Archived,lib,offsite", "-",
			VolumeRow{Line: 2, HospitalNumber: "H1", Number: 1, LegacyBarcode: "ab-12/x", Status: tracking.StatusArchived, Home: "LIB", Location: "OFFSITE"}},
		{"ErrHospitalNumber", "H 1,1,,,,", "hospital_number", VolumeRow{}},
		{"ErrNoHospitalNumber", ",1,,,,", "hospital_number", VolumeRow{}},
		{"ErrNoVolumeNumber", "H1,,,,,", "volume_number", VolumeRow{}},
		{"ErrVolumeZero", "H1,0,,,,", "volume_number", VolumeRow{}},
		{"ErrVolumeDecimal", "H1,1.0,,,,", "volume_number", VolumeRow{}},
		{"ErrVolumeTooLarge", "H1,1000,,,,", "volume_number", VolumeRow{}},
		{"ErrBarcodeGeneratedShape", "H1,1," + tracking.VolumeBarcode(5) + ",,,", "barcode", VolumeRow{}},
		{"ErrBarcodeNHSNumber", "H1,1,9434765919,,,", "barcode", VolumeRow{}},
		{"ErrBarcodeTooLong", "H1,1," + strings.Repeat("X", 41) + ",,,", "barcode", VolumeRow{}},
		{"ErrBarcodeSpace", "H1,1,OLD 123,,,", "barcode", VolumeRow{}},
		{"ErrStatus", "H1,1,,lost,,", "status", VolumeRow{}},
		{"ErrHome", "H1,1,,,main lib,", "home", VolumeRow{}},
		{"ErrLocation", "H1,1,,,,ward/12", "location", VolumeRow{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, errs := readFile(t, NewVolumeReader, strings.NewReader(volumeHeader+tc.line+"\n"))
			checkOneLine(t, rows, errs, tc.field, func(r VolumeRow) bool { return r == tc.want })
		})
	}
}

func TestVolumeKeysOnceAFile(t *testing.T) {
	t.Parallel()
	file := volumeHeader +
		"H1,1,OLD1,,,\n" + // 2
		"H1,2,,,,\n" + // 3
		"h1,01,,,,\n" + // 4: volume 1 of H1 again
		"H2,1,OLD1,,,\n" + // 5: barcode again
		"H2,1,old1,,,\n" + // 6: legacy barcodes are exact: another one
		"H3,1,,,,\n" // 7: no barcode twice is fine
	rows, errs := readFile(t, NewVolumeReader, strings.NewReader(file))
	if len(rows) != 4 {
		t.Errorf("rows %+v, want lines 2, 3, 6 and 7", rows)
	}
	want := []LineError{
		{Line: 4, Field: "volume_number", Message: "Volume 1 of H1 is already on line 2."},
		{Line: 5, Field: "barcode", Message: "Barcode OLD1 is already on line 2."},
	}
	if !slices.Equal(errs, want) {
		t.Errorf("errors\n%v\nwant\n%v", errs, want)
	}
}
