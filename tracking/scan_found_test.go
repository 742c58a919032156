package tracking

import (
	"strings"
	"testing"
)

// decideWithStatus decides recs as one chunk over the volume's stored
// state and status.
func decideWithStatus(t *testing.T, st VolumeState, status VolumeStatus, recs ...*ScanRecord) *Decision {
	t.Helper()
	d := NewDecision(recs)
	for _, id := range d.VolumeIDs() {
		d.Hold(id, st)
		d.HoldStatus(id, status)
	}
	if err := d.Decide(newHistory(10)); err != nil {
		t.Fatalf("Decide: %v", err)
	}
	return d
}

// A scan that books a missing volume, in time order, finds it: the
// answer says so, shows it active and the store is told to write it; a
// late scan or a volume not missing finds nothing, and one destroyed or
// amalgamated under the scan's feet is refused.
func TestDecideFindsMissingVolume(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		status     VolumeStatus
		to         *Location
		scanned    int
		want       Result
		found      bool
		wantStatus VolumeStatus
	}{
		{"MovedFindsMissing", StatusMissing, ward9, 5, ResultMoved, true, StatusActive},
		{"AlreadyHereFindsMissing", StatusMissing, ward7, 5, ResultAlreadyHere, true, StatusActive},
		{"LateScanFindsNothing", StatusMissing, ward9, -5, ResultRecordedLate, false, StatusMissing},
		{"ActiveIsNotFound", StatusActive, ward9, 5, ResultMoved, false, StatusActive},
		{"ClosedStaysClosed", StatusClosed, ward9, 5, ResultMoved, false, StatusClosed},
		{"DestroyedMeanwhileIsRefused", StatusDestroyed, ward9, 5, ResultRejected, false, StatusDestroyed},
		{"AmalgamatedMeanwhileIsRefused", StatusAmalgamated, ward9, 5, ResultRejected, false, StatusAmalgamated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := testVolume(ward7, at(0), at(0))
			r := moveRecord("s1", v, tc.to, at(tc.scanned))
			d := decideWithStatus(t, VolumeState{ward7.ID, at(0), at(0)}, tc.status, r)
			if r.Result.Result != tc.want || r.Result.Found != tc.found || r.Effects.Found != tc.found {
				t.Fatalf("result %s found %v (effect %v), want %s found %v", r.Result.Result, r.Result.Found, r.Effects.Found, tc.want, tc.found)
			}
			if got := r.Result.Volume.Status; got != tc.wantStatus {
				t.Errorf("answer shows the volume %s, want %s", got, tc.wantStatus)
			}
			if refused := tc.want == ResultRejected; refused && (r.Effects.Move || len(d.Changed()) != 0) {
				t.Errorf("a refused scan moved the volume: %+v", d.Changed())
			}
			if tc.found && !strings.Contains(string(r.Response), "FOUND") {
				t.Errorf("the answer's message does not say FOUND: %s", r.Response)
			}
		})
	}
}

// Two scans of one missing volume in a chunk: the first finds it, the
// second sees it active.
func TestDecideFindsOnce(t *testing.T) {
	t.Parallel()
	v := testVolume(ward7, at(0), at(0))
	first, second := moveRecord("s1", v, ward9, at(5)), moveRecord("s2", v, lib, at(6))
	decideWithStatus(t, VolumeState{ward7.ID, at(0), at(0)}, StatusMissing, first, second)
	if !first.Effects.Found || second.Effects.Found || second.Result.Volume.Status != StatusActive {
		t.Errorf("found: first %v, second %v (shown %s); want only the first", first.Effects.Found, second.Effects.Found, second.Result.Volume.Status)
	}
}

// The single-statement fast path would write a found volume without its
// status: a scan of a missing volume goes the locked way.
func TestDecideAloneLeavesMissingToTheLock(t *testing.T) {
	t.Parallel()
	for _, st := range []VolumeStatus{StatusActive, StatusMissing} {
		v := testVolume(ward7, at(0), at(0))
		v.Status = st
		_, _, ok := DecideAlone(moveRecord("s1", v, ward9, at(5)))
		if ok != (st == StatusActive) {
			t.Errorf("%s: DecideAlone ok = %v", st, ok)
		}
	}
}
