package tracking

import (
	"slices"
	"testing"
	"time"
)

func TestRequestWants(t *testing.T) {
	t.Parallel()
	whole := &RequestState{PatientID: 1, Whole: true}
	named := &RequestState{PatientID: 1, Items: []RequestItem{{VolumeID: 5, Named: true}}}
	for _, tc := range []struct {
		name string
		r    *RequestState
		v    HeldVolume
		want bool
	}{
		{"WholeWantsActive", whole, HeldVolume{ID: 5, PatientID: 1, Status: StatusActive}, true},
		{"WholeWantsTemporary", whole, HeldVolume{ID: 5, PatientID: 1, Status: StatusTemporary}, true},
		{"WholeWantsMissing", whole, HeldVolume{ID: 5, PatientID: 1, Status: StatusMissing}, true},
		{"WholeNotClosed", whole, HeldVolume{ID: 5, PatientID: 1, Status: StatusClosed}, false},
		{"WholeNotArchived", whole, HeldVolume{ID: 5, PatientID: 1, Status: StatusArchived}, false},
		{"WholeNotDestroyed", whole, HeldVolume{ID: 5, PatientID: 1, Status: StatusDestroyed}, false},
		{"WholeNotAmalgamated", whole, HeldVolume{ID: 5, PatientID: 1, Status: "amalgamated"}, false},
		{"WholeNotAnotherPatient", whole, HeldVolume{ID: 5, PatientID: 2, Status: StatusActive}, false},
		{"NamedWantsClosed", named, HeldVolume{ID: 5, PatientID: 1, Status: StatusClosed}, true},
		{"NamedNotDestroyed", named, HeldVolume{ID: 5, PatientID: 1, Status: StatusDestroyed}, false},
		{"NamedNotAmalgamated", named, HeldVolume{ID: 5, PatientID: 1, Status: "amalgamated"}, false},
		{"NamedNotOthers", named, HeldVolume{ID: 6, PatientID: 1, Status: StatusActive}, false},
	} {
		if got := tc.r.Wants(tc.v); got != tc.want {
			t.Errorf("%s: Wants = %v", tc.name, got)
		}
	}
}

func TestRequestSettle(t *testing.T) {
	t.Parallel()
	vols := []HeldVolume{{ID: 1, PatientID: 1, Status: StatusActive, CurrentID: 4},
		{ID: 2, PatientID: 1, Status: StatusActive, CurrentID: 2}, {ID: 3, PatientID: 1, Status: StatusClosed, CurrentID: 9}}
	for _, tc := range []struct {
		name         string
		r            RequestState
		wantArrived  []int64
		wantComplete bool
	}{
		{"PartlyThere", RequestState{PatientID: 1, LocationID: 4, Whole: true}, []int64{1}, false},
		{"AllThere", RequestState{PatientID: 1, LocationID: 4, Items: []RequestItem{{VolumeID: 1, Named: true}}}, []int64{1}, true},
		{"ClosedVolumeIgnored", RequestState{PatientID: 1, LocationID: 9, Whole: true}, nil, false},
		{"NoNotesNeverComplete", RequestState{PatientID: 7, LocationID: 4, Whole: true}, nil, false},
		{"ArrivedBeforeCounts", RequestState{PatientID: 1, LocationID: 4, Whole: true,
			Items: []RequestItem{{VolumeID: 2, ArrivedAt: at(-5)}}}, []int64{1}, true},
	} {
		r := tc.r
		arrived, complete := r.Settle(vols, at(0))
		if !slices.Equal(arrived, tc.wantArrived) || complete != tc.wantComplete {
			t.Errorf("%s: Settle = %v, %v; want %v, %v", tc.name, arrived, complete, tc.wantArrived, tc.wantComplete)
		}
	}
	r := RequestState{PatientID: 1, LocationID: 4, Items: []RequestItem{{VolumeID: 1, Named: true, ArrivedAt: at(-5)}, {VolumeID: 2, ArrivedAt: at(-5)}}}
	r.Forget()
	if len(r.Items) != 1 || r.Items[0].Arrived() || !r.Items[0].Named {
		t.Errorf("Forget kept %+v; want the named volume, not arrived", r.Items)
	}
}

func TestPlanAppointment(t *testing.T) {
	t.Parallel()
	booked := &Appointment{PatientID: 1, ClinicID: 4, Start: at(60), Status: AppointmentBooked}
	with := func(f func(a *Appointment)) *Appointment { a := *booked; f(&a); return &a }
	cancelled := with(func(a *Appointment) { a.Status = AppointmentCancelled })
	for _, tc := range []struct {
		name string
		old  *Appointment
		live bool
		in   *Appointment
		want AppointmentPlan
	}{
		{"New", nil, false, booked, AppointmentPlan{OutcomeAccepted, RequestNew}},
		{"NewCancelledIsStored", nil, false, cancelled, AppointmentPlan{OutcomeCancelled, RequestKeep}},
		{"SameAgain", booked, true, booked, AppointmentPlan{OutcomeUnchanged, RequestKeep}},
		{"SameAgainWithoutRequestHoldsOne", booked, false, booked, AppointmentPlan{OutcomeUpdated, RequestNew}},
		{"NewTime", booked, true, with(func(a *Appointment) { a.Start = at(90) }), AppointmentPlan{OutcomeUpdated, RequestMove}},
		{"NewClinic", booked, true, with(func(a *Appointment) { a.ClinicID = 5 }), AppointmentPlan{OutcomeUpdated, RequestMove}},
		{"Cancelled", booked, true, cancelled, AppointmentPlan{OutcomeCancelled, RequestCancel}},
		{"CancelledAgain", cancelled, false, cancelled, AppointmentPlan{OutcomeUnchanged, RequestKeep}},
		{"BookedAgain", cancelled, false, booked, AppointmentPlan{OutcomeUpdated, RequestNew}},
		{"AnotherPatient", booked, true, with(func(a *Appointment) { a.PatientID = 2 }), AppointmentPlan{OutcomeUpdated, RequestReplace}},
	} {
		if got := PlanAppointment(tc.old, tc.live, tc.in); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestTerminalDigitKeyFilesAsTheShelves(t *testing.T) {
	t.Parallel()
	// DOMAIN.md's example, given out of order.
	hns := []string{"423266", "133266", "423213", "522466", "132466"}
	slices.SortFunc(hns, func(a, b string) int {
		ka, kb := TerminalDigitKey(a), TerminalDigitKey(b)
		if ka < kb {
			return -1
		}
		if ka > kb {
			return 1
		}
		return 0
	})
	if want := []string{"423213", "132466", "522466", "133266", "423266"}; !slices.Equal(hns, want) {
		t.Errorf("sorted %v, want %v", hns, want)
	}
	for _, tc := range []struct{ a, b string }{
		{"RX607458", "607458"}, // letters are ignored
		{"7458", "007458"},     // a shorter number has leading zeros
		{"17458", "017458"},    // an odd leading digit pairs with 0
	} {
		if TerminalDigitKey(tc.a) != TerminalDigitKey(tc.b) {
			t.Errorf("%s and %s file apart", tc.a, tc.b)
		}
	}
}

func TestPullLinesStatesAndOrder(t *testing.T) {
	t.Parallel()
	bayA := &Location{ID: 10, Code: "LIB-A", Kind: KindLibrary}
	shelf := &Location{ID: 11, Code: "LIB-A-S1", Kind: KindOffice, ParentID: 10}
	inLib := libraryTest([]*Location{lib, ward7, ward9, clinic, bayA, shelf})
	req := func(id int64, hn string, need int, vols ...*Volume) *Request {
		p := &Patient{ID: id, HospitalNumber: hn, Volumes: vols}
		for _, v := range vols {
			v.PatientID = id
		}
		return &Request{ID: id, PatientID: id, Patient: p, LocationID: clinic.ID, Location: clinic, AllVolumes: true,
			NeededBy: TimestampOf(at(need)), Status: RequestOpen}
	}
	vol := func(id int64, n int, l *Location, st VolumeStatus) *Volume {
		return &Volume{ID: id, Number: n, Status: st, CurrentID: l.ID, Current: l}
	}
	reqs := []*Request{
		req(1, "H607458", 0, vol(1, 1, bayA, StatusActive)),
		req(2, "H123458", 0, vol(2, 1, shelf, StatusActive), vol(3, 2, ward9, StatusActive)),
		req(3, "H000001", 0, vol(4, 1, clinic, StatusActive)),
		req(4, "H000002", 0),
		req(5, "H000003", 0, vol(5, 1, ward7, StatusMissing)),
		req(6, "H100058", 0, vol(6, 1, bayA, StatusActive), vol(7, 2, lib, StatusClosed)),
		req(7, "H000004", -5, vol(8, 1, ward7, StatusActive)),
	}
	lines := BuildPullLines(reqs, inLib)
	SortPullLines(lines)
	type got struct {
		req   int64
		state PullState
	}
	var gots []got
	for _, l := range lines {
		gots = append(gots, got{l.Request, l.State})
	}
	want := []got{
		{6, PullInLibrary}, {1, PullInLibrary}, // LIB-A: ...00-58 before ...74-58
		{2, PullInLibrary},                     // LIB-A-S1 (a shelf inside a library)
		{7, PullElsewhere}, {2, PullElsewhere}, // WARD7 before WARD9
		{5, PullMissing}, {4, PullNoNotes}, {3, PullAtClinic},
	}
	if !slices.Equal(gots, want) {
		t.Errorf("lines %v\nwant %v", gots, want)
	}
	sessions := CountSessions(lines, time.UTC)
	if len(sessions) != 1 || sessions[0].Lines != 8 || sessions[0].InLibrary != 3 || sessions[0].Elsewhere != 2 ||
		sessions[0].Missing != 1 || sessions[0].NoNotes != 1 || sessions[0].AtClinic != 1 {
		t.Errorf("sessions %+v", sessions[0])
	}
}
