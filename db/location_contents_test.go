package db_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/casetrack/casetrack/db"
	"github.com/casetrack/casetrack/tracking"
)

// What is at a library is counted with its bays and their shelves, one
// recursive query on each database; a missing folder is not counted, a
// ward's folders are not the library's, and every patient listed is in
// the access log.
func TestLocationContents(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		bay := &tracking.Location{Code: "BAY-1", Name: "Bay 1", Kind: tracking.KindLibrary, ParentCode: "LIB"}
		shelf := &tracking.Location{Code: "SHELF-1", Name: "Shelf 1", Kind: tracking.KindLibrary, ParentCode: "BAY-1"}
		for _, l := range []*tracking.Location{bay, shelf} {
			must(t, f.svc.CreateLocation(ctx, l))
		}
		at := []string{"SHELF-1", "SHELF-1", "BAY-1", "WARD7", "SHELF-1"}
		var vols []*tracking.Volume
		for i, code := range at {
			p := &tracking.Patient{HospitalNumber: fmt.Sprintf("H9%05d", i), FamilyName: fmt.Sprintf("Family%d", i), GivenName: "Ann"}
			must(t, f.svc.CreatePatient(ctx, porter, p, ""))
			f.scan(t, tracking.Scan{ScanID: fmt.Sprint("c", i), Barcode: p.Volumes[0].Barcode, Location: code})
			vols = append(vols, p.Volumes[0])
		}
		missing := tracking.StatusMissing
		if _, err := f.svc.UpdateVolume(ctx, records, vols[4].Barcode, tracking.VolumeUpdate{Status: &missing, Note: "searched"}); err != nil {
			t.Fatal(err)
		}
		lc, err := f.svc.LocationContents(ctx, porter, "lib")
		if err != nil {
			t.Fatal(err)
		}
		var tallies []string
		for _, ty := range lc.Tallies {
			tallies = append(tallies, fmt.Sprintf("%s:%d/%d", ty.Code, ty.Here, ty.Total))
		}
		// LIB holds the fixture's own patient's folder.
		if lc.Total != 4 || lc.Elsewhere != 1 || fmt.Sprint(tallies) != "[LIB:1/4 BAY-1:1/3 SHELF-1:2/2]" {
			t.Errorf("total %d, elsewhere %d, tallies %v", lc.Total, lc.Elsewhere, tallies)
		}
		var listed []string
		for _, v := range lc.Volumes {
			listed = append(listed, v.Current.Code+" "+v.Patient.FamilyName)
		}
		if fmt.Sprint(listed) != "[BAY-1 Family2 LIB Smith SHELF-1 Family0 SHELF-1 Family1]" {
			t.Errorf("listed %v", listed)
		}
		var logged int
		must(t, f.svc.Store.(*db.DB).Gorm().Raw("SELECT COUNT(*) FROM access_log WHERE action = 'list_location' AND detail = 'LIB'").Scan(&logged).Error)
		if logged != 4 {
			t.Errorf("%d access-log entries, want one for each of the 4 patients listed", logged)
		}
		if lc, err := f.svc.LocationContents(ctx, porter, "SHELF-1"); err != nil || lc.Total != 2 || len(lc.Tallies) != 1 {
			t.Errorf("shelf: %+v, %v", lc, err)
		}
	})
}
