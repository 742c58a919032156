package csvimport

import (
	"strings"
	"testing"

	"github.com/casetrack/casetrack/tracking"
)

const volumeHeader = "hospital_number,volume_number,barcode,status,home,location\n"

func readVolumes(t *testing.T, file string) ([]VolumeRow, []LineError) {
	t.Helper()
	rd, err := NewVolumeReader(strings.NewReader(file), Options{})
	if err != nil {
		t.Fatalf("NewVolumeReader: %v", err)
	}
	return readAll(t, rd)
}

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
			VolumeRow{Line: 2, HospitalNumber: "H1", Number: 1, Status: tracking.StatusActive}},
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
			rows, errs := readVolumes(t, volumeHeader+tc.line+"\n")
			if tc.field == "-" {
				if len(errs) > 0 || len(rows) != 1 || rows[0] != tc.want {
					t.Errorf("rows %+v, errors %v; want %+v", rows, errs, tc.want)
				}
				return
			}
			if len(rows) > 0 || len(errs) != 1 || errs[0].Line != 2 || errs[0].Field != tc.field || errs[0].Message == "" {
				t.Errorf("rows %+v, errors %+v; want one error on %q, line 2", rows, errs, tc.field)
			}
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
	rows, errs := readVolumes(t, file)
	if len(rows) != 4 {
		t.Errorf("rows %+v, want lines 2, 3, 6 and 7", rows)
	}
	want := []LineError{
		{4, "volume_number", "Volume 1 of H1 is already on line 2."},
		{5, "barcode", "Barcode OLD1 is already on line 2."},
	}
	if len(errs) != len(want) || errs[0] != want[0] || errs[1] != want[1] {
		t.Errorf("errors %v, want %v", errs, want)
	}
}
