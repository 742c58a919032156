package tracking

import (
	"slices"
	"testing"
)

// A scan's answer lists the requests that want its volume elsewhere within
// the horizon, earliest need first, and fulfils the one at its place.
func TestDecisionRoutesRequests(t *testing.T) {
	t.Parallel()
	v := &Volume{ID: 7, PatientID: 3, Status: StatusActive, CurrentID: lib.ID, Current: lib, HomeID: lib.ID, Home: lib}
	rec := func(id string, to *Location, min int) *ScanRecord {
		return &ScanRecord{Scan: Scan{ScanID: id, ScannedAt: TimestampOf(at(min))}, Volume: v, Target: to,
			WantedUntil: at(min).Add(DefaultWantedHorizon)}
	}
	reqs := func() []*RequestState {
		return []*RequestState{
			{ID: 1, PatientID: 3, LocationID: ward9.ID, Location: ward9, NeededBy: at(60 * 72), Whole: true}, // beyond 48h
			{ID: 2, PatientID: 3, LocationID: ward9.ID, Location: ward9, NeededBy: at(60), Whole: true},
			{ID: 3, PatientID: 3, LocationID: clinic.ID, Location: clinic, NeededBy: at(30), Priority: PriorityUrgent, Whole: true},
		}
	}
	vols := []HeldVolume{{ID: 7, PatientID: 3, Status: StatusActive, CurrentID: lib.ID}}
	for _, tc := range []struct {
		name        string
		to          *Location
		min         int
		flagged     bool
		wantWanted  []int64
		wantFulfils []int64
	}{
		{"WrongWardShowsWantedByNeed", ward7, 5, true, []int64{3, 2}, nil},
		{"RightWardFulfilsAndShowsTheNext", ward9, 5, true, []int64{3}, []int64{2, 1}},
		{"LateScanDoesNothing", ward9, -5, true, nil, nil},
		{"UnflaggedVolumeReadsNoRequest", ward9, 5, false, nil, nil},
	} {
		d := NewDecision([]*ScanRecord{rec("s", tc.to, tc.min)})
		d.Hold(7, VolumeState{CurrentID: lib.ID, Since: at(-10), LastScanAt: at(0)})
		if tc.flagged {
			d.HoldRequested(7, 3)
			if got := d.RequestPatients(); !slices.Equal(got, []int64{3}) {
				t.Fatalf("%s: RequestPatients = %v", tc.name, got)
			}
			d.HoldRequests(reqs(), vols)
		}
		if err := d.Decide(newHistory(7)); err != nil {
			t.Fatal(err)
		}
		r := d.Claimed()[0].Result
		var wanted []int64
		for _, w := range r.Wanted {
			wanted = append(wanted, w.Request)
		}
		if !slices.Equal(wanted, tc.wantWanted) || !slices.Equal(r.Fulfils, tc.wantFulfils) {
			t.Errorf("%s: wanted %v fulfils %v; want %v, %v", tc.name, wanted, r.Fulfils, tc.wantWanted, tc.wantFulfils)
		}
		if w := d.RequestWrites(); len(w.Fulfilled) != len(tc.wantFulfils) {
			t.Errorf("%s: %d fulfilments to write", tc.name, len(w.Fulfilled))
		}
	}
}
