package csvimport

import (
	"slices"
	"strings"
	"testing"

	"github.com/casetrack/casetrack/tracking"
)

const locationHeader = "code,name,kind,parent,barcode\n"

func TestLocationLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, line string
		field      string // the error's field; "-" for none
		check      func(r LocationRow) bool
	}{
		{"OK", "lib,Medical Records,library,,", "-", func(r LocationRow) bool {
			l := r.Location
			return l.Code == "LIB" && l.Name == "Medical Records" && l.Kind == tracking.KindLibrary && l.ParentCode == "" && r.ParentLine == 0
		}},
		{"OKKindAnyCaseLegacyBarcodeKept", " W12 , Ward 12 ,Ward,,ab-12/x ", "-", func(r LocationRow) bool {
			return r.Location.Code == "W12" && r.Location.Kind == tracking.KindWard && r.Location.LegacyBarcode == "ab-12/x"
		}},
		{"OKParentNotInFile", "BAY1,Bay 1,library,main-lib,", "-", func(r LocationRow) bool {
			return r.Location.ParentCode == "MAIN-LIB" && r.ParentLine == 0
		}},
		{"OKOwnCodeAsBarcode", "W12,Ward 12,ward,,w12", "-", nil},
		{"ErrNoCode", ",Ward 12,ward,,", "code", nil},
		{"ErrCodeWithSpace", "W 12,Ward 12,ward,,", "code", nil},
		{"ErrCodeLooksLikeBarcode", tracking.LocationBarcode(12) + ",Ward 12,ward,,", "code", nil},
		{"ErrNoName", "W12,,ward,,", "name", nil},
		{"ErrNameTooLong", "W12," + strings.Repeat("n", 101) + ",ward,,", "name", nil},
		{"ErrKind", "W12,Ward 12,hospital,,", "kind", nil},
		{"ErrNoKind", "W12,Ward 12,,,", "kind", nil},
		{"ErrParentCode", "W12,Ward 12,ward,MAIN LIB,", "parent", nil},
		{"ErrOwnParent", "W12,Ward 12,ward,w12,", "parent", nil},
		{"ErrBarcodeLooksGenerated", "W12,Ward 12,ward,," + tracking.LocationBarcode(7), "barcode", nil},
		{"ErrBarcodeIsNHSNumber", "W12,Ward 12,ward,,9434765919", "barcode", nil},
		{"ErrBarcodeNotASCII", "W12,Ward 12,ward,,\u00e9t\u00e9", "barcode", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, errs := readFile(t, NewLocationReader, strings.NewReader(locationHeader+tc.line+"\n"))
			checkOneLine(t, rows, errs, tc.field, func(r LocationRow) bool { return r.Line == 2 && (tc.check == nil || tc.check(r)) })
		})
	}
}

func TestLocationParentsAndNames(t *testing.T) {
	t.Parallel()
	file := locationHeader +
		"LIB,Library,library,,OLD-LIB\n" + // 2
		"BAY1,Bay 1,library,lib,\n" + // 3: parent on line 2
		"SHELF,Shelf,library,BAY2,\n" + // 4: parent on a later line: not counted
		"BAY2,Bay 2,library,LIB,\n" + // 5
		"lib,Again,ward,,\n" + // 6: code twice
		"W1,Ward 1,ward,,old-lib\n" + // 7: another's barcode, in another case
		"OLD-LIB,Ward 2,ward,,\n" + // 8: a code that is another's barcode
		"W3,Ward 3,ward,,BAY1\n" // 9: a barcode that is another's code
	rows, errs := readFile(t, NewLocationReader, strings.NewReader(file))
	parents := map[string]int{}
	for _, r := range rows {
		parents[r.Location.Code] = r.ParentLine
	}
	if len(rows) != 4 || parents["BAY1"] != 2 || parents["SHELF"] != 0 || parents["BAY2"] != 2 {
		t.Errorf("rows %+v, want LIB, BAY1 (parent line 2), SHELF (0), BAY2 (2)", rows)
	}
	want := []LineError{
		{Line: 6, Field: "code", Message: "LIB is the code of the location on line 2: a scan of it must mean one location only."},
		{Line: 7, Field: "barcode", Message: "OLD-LIB is the barcode of the location on line 2: a scan of it must mean one location only."},
		{Line: 8, Field: "code", Message: "OLD-LIB is the barcode of the location on line 2: a scan of it must mean one location only."},
		{Line: 9, Field: "barcode", Message: "BAY1 is the code of the location on line 3: a scan of it must mean one location only."},
	}
	if !slices.Equal(errs, want) {
		t.Errorf("errors\n%v\nwant\n%v", errs, want)
	}
}
