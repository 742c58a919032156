package tracking

import (
	"context"
	"encoding/json"
	"testing"
)

// A location's editable fields change as a PATCH says; what would make a
// scan ambiguous, or put a location inside itself, is refused naming the
// field.
func TestUpdateLocation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, code, body string
		field            string
		check            func(l *Location) bool
	}{
		{"Rename", "LIB-A", `{"name":"Bay A (00-49)"}`, "", func(l *Location) bool { return l.Name == "Bay A (00-49)" && l.ParentCode == "LIB" }},
		{"LoanPeriod", "WARD7", `{"loan_period":"28d"}`, "", func(l *Location) bool { return l.LoanPeriod.String() == "28d" }},
		{"LoanPeriodNone", "WARD7", `{"loan_period":"none"}`, "", func(l *Location) bool { return *l.LoanPeriod == 0 }},
		{"LoanPeriodBackToTheKinds", "WARD9", `{"loan_period":null}`, "", func(l *Location) bool { return l.LoanPeriod == nil }},
		{"MoveUnderAnother", "LIB-A1", `{"parent_code":"lib"}`, "", func(l *Location) bool { return l.ParentCode == "LIB" && l.ParentID == 1 }},
		{"NoParent", "LIB-A", `{"parent_code":null}`, "", func(l *Location) bool { return l.ParentCode == "" && l.ParentID == 0 }},
		{"GLNAndLegacy", "WARD9", `{"gln":"5012345000011","legacy_barcode":"W9-OLD"}`, "", func(l *Location) bool { return l.GLN == "5012345000011" && l.LegacyBarcode == "W9-OLD" }},
		{"KindChanged", "WARD9", `{"kind":"Clinic"}`, "", func(l *Location) bool { return l.Kind == KindClinic }},
		{"ErrInsideItself", "LIB-A", `{"parent_code":"LIB-A"}`, "parent_code", nil},
		{"ErrInsideItsOwnShelf", "LIB", `{"parent_code":"LIB-A1"}`, "parent_code", nil},
		{"ErrUnknownParent", "LIB-A", `{"parent_code":"NOWHERE"}`, "parent_code", nil},
		{"ErrKind", "WARD9", `{"kind":"bathroom"}`, "kind", nil},
		{"ErrEmptyName", "WARD9", `{"name":" "}`, "name", nil},
		{"ErrGLN", "WARD9", `{"gln":"123"}`, "gln", nil},
		{"ErrLegacyIsAnotherCode", "WARD9", `{"legacy_barcode":"WARD7"}`, "legacy_barcode", nil},
		{"ErrLoanPeriod", "WARD9", `{"loan_period":"soon"}`, "loan_period", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newSweepFixture(t)
			var upd LocationUpdate
			err := json.Unmarshal([]byte(tc.body), &upd)
			var l *Location
			if err == nil {
				l, err = f.s.UpdateLocation(context.Background(), tc.code, upd)
			}
			if fieldOf(err) != tc.field || tc.field == "" && err != nil {
				t.Fatalf("err = %v, want field %q", err, tc.field)
			}
			if tc.check == nil {
				return
			}
			again, _ := f.s.FindLocation(context.Background(), tc.code)
			if !tc.check(l) || !tc.check(again) {
				t.Errorf("updated %+v, read back %+v", l, again)
			}
		})
	}
}
