package db_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/casetrack/casetrack/tracking"
)

// A location's editable fields and its own loan period are stored and
// read back on each database; a GLN another location has is a conflict.
func TestUpdateLocation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		var upd tracking.LocationUpdate
		body := `{"name":"Ward 7 (long stay)","kind":"ward","parent_code":"LIB","gln":"5012345000011","legacy_barcode":"W7","loan_period":"28d"}`
		if err := json.Unmarshal([]byte(body), &upd); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UpdateLocation(ctx, "WARD7", upd); err != nil {
			t.Fatal(err)
		}
		l, err := f.svc.Store.FindLocationByCode(ctx, "WARD7")
		if err != nil || l.Name != "Ward 7 (long stay)" || l.ParentCode != "LIB" || l.GLN != "5012345000011" ||
			l.LegacyBarcode != "W7" || l.LoanPeriod == nil || l.LoanPeriod.String() != "28d" {
			t.Fatalf("read back %+v, %v", l, err)
		}
		if inside, _ := f.svc.Store.FindLocationsInside(ctx, f.lib.ID); len(inside) != 1 || inside[0] != l.ID {
			t.Errorf("inside LIB: %v", inside)
		}
		var clear tracking.LocationUpdate
		_ = json.Unmarshal([]byte(`{"parent_code":null,"gln":"","legacy_barcode":null,"loan_period":null}`), &clear)
		if l, err := f.svc.UpdateLocation(ctx, "WARD7", clear); err != nil || l.ParentID != 0 || l.GLN != "" || l.LoanPeriod != nil {
			t.Errorf("cleared: %+v, %v", l, err)
		}
		gln := "5012345000011"
		if _, err := f.svc.UpdateLocation(ctx, "WARD9", tracking.LocationUpdate{GLN: tracking.Optional[string]{Set: true, Value: &gln}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UpdateLocation(ctx, "LIB", tracking.LocationUpdate{GLN: tracking.Optional[string]{Set: true, Value: &gln}}); tracking.ErrorCode(err) == "" {
			t.Errorf("a GLN another location has was accepted")
		}
	})
}
