package tracking

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// Locations of the decision tests, by id.
var (
	lib    = &Location{ID: 1, Code: "LIB", Name: "Library", Kind: KindLibrary, Barcode: LocationBarcode(1)}
	ward7  = &Location{ID: 2, Code: "WARD7", Name: "Ward 7", Kind: KindWard, Barcode: LocationBarcode(2)}
	ward9  = &Location{ID: 3, Code: "WARD9", Name: "Ward 9", Kind: KindWard, Barcode: LocationBarcode(3)}
	clinic = &Location{ID: 4, Code: "OPD", Name: "Outpatients", Kind: KindClinic, Barcode: LocationBarcode(4),
		ParentCode: "LIB"}
)

// at is a minute of the test morning.
func at(min int) time.Time {
	return time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC).Add(time.Duration(min) * time.Minute)
}

// history is a volume's stored movements in memory, given in arrival
// order, read a few at a time as a store pages them.
type history struct {
	steps map[int64][]Step
	locs  map[int64]*Location
	page  int
	reads int // calls that read movements
}

func newHistory(volumeID int64, steps ...Step) *history {
	h := &history{steps: map[int64][]Step{}, page: 2,
		locs: map[int64]*Location{1: lib, 2: ward7, 3: ward9, 4: clinic}}
	for i, s := range steps {
		s.Seq = int64(i + 1)
		h.steps[volumeID] = append(h.steps[volumeID], s)
	}
	return h
}

// newestFirst orders movements as the store reads them back.
func newestFirst(a, b Step) int {
	return cmp.Or(b.At.Compare(a.At), cmp.Compare(b.Seq, a.Seq))
}

func (h *history) LatestStep(volumeID int64, t time.Time) (Step, bool, error) {
	h.reads++
	steps := slices.Clone(h.steps[volumeID])
	slices.SortFunc(steps, newestFirst)
	for _, s := range steps {
		if !s.At.After(t) {
			return s, true, nil
		}
	}
	return Step{}, false, nil
}

func (h *history) StepsBefore(volumeID int64, after Step) ([]Step, bool, error) {
	h.reads++
	steps := slices.Clone(h.steps[volumeID])
	slices.SortFunc(steps, newestFirst)
	if after.Seq != 0 {
		i := slices.IndexFunc(steps, func(s Step) bool { return s.Seq == after.Seq })
		steps = steps[i+1:]
	}
	n := min(h.page, len(steps))
	return steps[:n], n < len(steps), nil
}

func (h *history) Location(id int64) (*Location, error) {
	if l := h.locs[id]; l != nil {
		return l, nil
	}
	return nil, fmt.Errorf("no location %d", id)
}

// testVolume is volume 10 of patient 7, homed in the library and now at
// where since since.
func testVolume(where *Location, since, last time.Time) *Volume {
	v := &Volume{ID: 10, PatientID: 7, Barcode: VolumeBarcode(10), Number: 1, Count: 1, Status: StatusActive,
		Patient: &Patient{ID: 7, HospitalNumber: "H1", FamilyName: "Smith"},
		HomeID:  lib.ID, Home: lib, CurrentID: where.ID, Current: where, Since: TimestampOf(since)}
	if !last.IsZero() {
		v.LastScanAt = &last
	}
	return v
}

// moveRecord is a resolved scan booking v to target at the time.
func moveRecord(id string, v *Volume, target *Location, scanned time.Time) *ScanRecord {
	ts := TimestampOf(scanned)
	return &ScanRecord{Scan: Scan{ScanID: id, ScannedAt: ts}, ReceivedAt: TimestampOf(at(100)), Volume: v, Target: target,
		Result: ScanResult{ScanID: id, Volume: v, Location: target, ScannedAt: ts}}
}

// decide decides recs as one chunk over the volume's stored state.
func decide(t *testing.T, h *history, st VolumeState, recs ...*ScanRecord) *Decision {
	t.Helper()
	d := NewDecision(recs)
	for _, id := range d.VolumeIDs() {
		d.Hold(id, st)
	}
	if err := d.Decide(h); err != nil {
		t.Fatalf("Decide: %v", err)
	}
	return d
}

func TestDecideScanInTimeOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		now       VolumeState
		to        *Location
		scanned   time.Time
		want      Result
		wantState VolumeState
	}{
		{"Moved", VolumeState{ward7.ID, at(0), at(0)}, ward9, at(5), ResultMoved, VolumeState{ward9.ID, at(5), at(5)}},
		{"AlreadyHereKeepsSince", VolumeState{ward7.ID, at(0), at(0)}, ward7, at(5), ResultAlreadyHere, VolumeState{ward7.ID, at(0), at(5)}},
		{"EqualTimeGoesToLaterArrival", VolumeState{ward7.ID, at(0), at(5)}, ward9, at(5), ResultMoved, VolumeState{ward9.ID, at(5), at(5)}},
		{"FirstScanOfNewVolume", VolumeState{lib.ID, at(-60), time.Time{}}, ward9, at(-90), ResultMoved, VolumeState{ward9.ID, at(-90), at(-90)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHistory(10)
			v := testVolume(h.locs[tt.now.CurrentID], tt.now.Since, tt.now.LastScanAt)
			r := moveRecord("s1", v, tt.to, tt.scanned)
			d := decide(t, h, tt.now, r)
			if r.Result.Result != tt.want {
				t.Errorf("result %s, want %s", r.Result.Result, tt.want)
			}
			if ch := d.Changed(); len(ch) != 1 || ch[0] != (VolumeChange{10, tt.wantState}) {
				t.Errorf("changed %+v, want volume 10 %+v", ch, tt.wantState)
			}
			if r.Result.PreviousLocation != h.locs[tt.now.CurrentID] || !r.Effects.Move || h.reads != 0 {
				t.Errorf("previous %v, move %v, history read %d times", r.Result.PreviousLocation, r.Effects.Move, h.reads)
			}
		})
	}
}

// A late scan goes into history in its place: it answers where the
// volume was at its time, leaves the volume where it is, and may move
// when the volume arrived there.
func TestDecideLateScan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		stored    []Step
		now       VolumeState
		to        *Location
		scanned   time.Time
		wantPrev  *Location
		wantSince time.Time
	}{
		{"BeforeAnyMovementWasAtHome", []Step{{At: at(10), To: ward7.ID}}, VolumeState{ward7.ID, at(10), at(10)},
			ward9, at(5), lib, at(10)},
		{"BetweenMovements", []Step{{At: at(0), To: ward9.ID}, {At: at(20), To: ward7.ID}}, VolumeState{ward7.ID, at(20), at(20)},
			clinic, at(10), ward9, at(20)},
		{"ExtendsTheStayItJoins", []Step{{At: at(0), To: ward9.ID}, {At: at(20), To: ward7.ID}}, VolumeState{ward7.ID, at(20), at(20)},
			ward7, at(10), ward9, at(10)},
		{"TieGoesToLaterArrival", []Step{{At: at(10), To: ward9.ID}, {At: at(10), To: clinic.ID}, {At: at(30), To: ward7.ID}},
			VolumeState{ward7.ID, at(30), at(30)}, ward7, at(10), clinic, at(10)},
		{"BeforeTheTimeAwayLeavesSince", []Step{{At: at(0), To: ward7.ID}, {At: at(10), To: ward9.ID}, {At: at(20), To: ward7.ID},
			{At: at(30), To: ward7.ID}, {At: at(40), To: ward7.ID}}, VolumeState{ward7.ID, at(20), at(40)},
			ward7, at(5), ward7, at(20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHistory(10, tt.stored...)
			r := moveRecord("late", testVolume(h.locs[tt.now.CurrentID], tt.now.Since, tt.now.LastScanAt), tt.to, tt.scanned)
			d := decide(t, h, tt.now, r)
			if r.Result.Result != ResultRecordedLate || !strings.Contains(r.Result.Message, "newer scan decides") {
				t.Errorf("answer %s %q, want recorded_late saying why", r.Result.Result, r.Result.Message)
			}
			if r.Result.PreviousLocation != tt.wantPrev {
				t.Errorf("previous location %s, want %s", r.Result.PreviousLocation.Code, tt.wantPrev.Code)
			}
			got := r.Result.Volume
			if got.Current != h.locs[tt.now.CurrentID] || !got.Since.Equal(tt.wantSince) {
				t.Errorf("volume now at %s since %v, want %s since %v", got.Current.Code, got.Since, h.locs[tt.now.CurrentID].Code, tt.wantSince)
			}
			changed := !tt.wantSince.Equal(tt.now.Since)
			if ch := d.Changed(); (len(ch) == 1) != changed || changed && ch[0].State.LastScanAt != tt.now.LastScanAt {
				t.Errorf("changed %+v, want a change %v keeping the last scan time", ch, changed)
			}
		})
	}
}

// The run of movements that ends where a volume is may be longer than the
// store reads at a time: the walk back goes on to the next page.
func TestLateScanWalksBackThroughPages(t *testing.T) {
	t.Parallel()
	stored := []Step{{At: at(0), To: ward9.ID}}
	for i := 0; i < 7; i++ {
		stored = append(stored, Step{At: at(60 + i), To: ward7.ID})
	}
	h := newHistory(10, stored...)
	now := VolumeState{ward7.ID, at(60), at(66)}
	r := moveRecord("late", testVolume(ward7, now.Since, now.LastScanAt), ward7, at(30))
	d := decide(t, h, now, r)
	if ch := d.Changed(); len(ch) != 1 || !ch[0].State.Since.Equal(at(30)) {
		t.Fatalf("changed %+v, want since 09:30", ch)
	}
	if h.reads < 4 {
		t.Errorf("history read %d times; the stay spans four pages of two", h.reads)
	}
}

// A chunk decides its records one after another: a later record sees the
// chunk's earlier movements of the same volume, which arrived after every
// stored one.
func TestDecisionSeesChunkInListOrder(t *testing.T) {
	t.Parallel()
	h := newHistory(10, Step{At: at(0), To: ward7.ID})
	now := VolumeState{ward7.ID, at(0), at(0)}
	v := testVolume(ward7, at(0), at(0))
	recs := []*ScanRecord{
		moveRecord("a", v, ward9, at(10)),
		moveRecord("b", v, ward9, at(12)),
		moveRecord("c", v, clinic, at(11)), // late: between the chunk's own two
		moveRecord("d", v, ward9, at(11)),  // late, equal time: after c, so now from clinic
	}
	d := decide(t, h, now, recs...)
	var got []string
	for _, r := range recs {
		got = append(got, fmt.Sprintf("%s %s from %s", r.Scan.ScanID, r.Result.Result, r.Result.PreviousLocation.Code))
	}
	want := "[a moved from WARD7 b already_here from WARD9 c recorded_late from WARD9 d recorded_late from OPD]"
	if fmt.Sprint(got) != want {
		t.Errorf("answers %v\nwant    %s", got, want)
	}
	if ch := d.Changed(); len(ch) != 1 || ch[0].State != (VolumeState{ward9.ID, at(11), at(12)}) {
		t.Errorf("changed %+v, want at WARD9 since 09:11 (d joined the stay), last 09:12", ch)
	}
	if len(d.Claimed()) != 4 {
		t.Errorf("%d records claimed, want 4", len(d.Claimed()))
	}
}

// A store locks the chunk's volumes once each, in ascending order, and
// leaves records marked as repeats alone.
func TestDecisionVolumesAndRepeats(t *testing.T) {
	t.Parallel()
	v := func(id int64) *Volume { vol := testVolume(ward7, at(0), at(0)); vol.ID = id; return vol }
	repeat := moveRecord("r", v(2), ward9, at(1))
	repeat.Repeat, repeat.Response = true, []byte(`{"first":true}`)
	unknown := &ScanRecord{Scan: Scan{ScanID: "u"}, Result: ScanResult{ScanID: "u", Result: ResultUnknown}}
	recs := []*ScanRecord{moveRecord("a", v(30), ward9, at(1)), repeat, unknown, moveRecord("b", v(5), ward9, at(1)),
		moveRecord("c", v(30), lib, at(2))}
	d := NewDecision(recs)
	if got := fmt.Sprint(d.VolumeIDs()); got != "[5 30]" {
		t.Errorf("volumes %s, want [5 30]", got)
	}
	for _, id := range d.VolumeIDs() {
		d.Hold(id, VolumeState{ward7.ID, at(0), at(0)})
	}
	if err := d.Decide(newHistory(0)); err != nil {
		t.Fatal(err)
	}
	var claimed []string
	for _, r := range d.Claimed() {
		claimed = append(claimed, r.Scan.ScanID)
	}
	if fmt.Sprint(claimed) != "[a u b c]" || string(repeat.Response) != `{"first":true}` || repeat.Result.Result != "" {
		t.Errorf("claimed %v; the repeat answers %s, result %q", claimed, repeat.Response, repeat.Result.Result)
	}
	if string(unknown.Response) == "" || unknown.Effects.Move {
		t.Errorf("a scan that moves nothing: answer %q, move %v", unknown.Response, unknown.Effects.Move)
	}
}

func TestDecisionRefusesVolumeGone(t *testing.T) {
	t.Parallel()
	d := NewDecision([]*ScanRecord{moveRecord("a", testVolume(ward7, at(0), at(0)), ward9, at(1))})
	if err := d.Decide(newHistory(10)); ErrorCode(err) != ENOTFOUND {
		t.Errorf("a volume the store did not find: %v, want not found", err)
	}
}

// The answer shows the volume where the scan leaves it, not where it
// lives; the volume as resolved is not changed.
func TestAnswerShowsVolumeWhereScanLeavesIt(t *testing.T) {
	t.Parallel()
	v := testVolume(ward7, at(0), at(0))
	r := moveRecord("a", v, clinic, at(3))
	decide(t, newHistory(10), StateOf(v), r)
	got := r.Result.Volume
	if got == v || got.Home != nil || got.Current != clinic || got.CurrentID != clinic.ID || !got.Since.Equal(at(3)) {
		t.Errorf("answer's volume %+v", got)
	}
	if v.Current != ward7 || v.Home != lib {
		t.Errorf("the resolved volume changed: %+v", v)
	}
	for _, want := range []string{`"result":"moved"`, `"previous_location":{"id":2,`, `"current_location":{"id":4,"code":"OPD"`, `"parent_code":"LIB"`} {
		if !strings.Contains(string(r.Response), want) {
			t.Errorf("answer %s lacks %s", r.Response, want)
		}
	}
}

// A lone scan is decided from the state its volume was read in, unless it
// needs the lock: late, or with effects beyond the plain ones.
func TestDecideAlone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		rec     func() *ScanRecord
		ok      bool
		want    Result
		wantNow int64
	}{
		{"Moved", func() *ScanRecord { return moveRecord("a", testVolume(ward7, at(0), at(0)), ward9, at(5)) }, true, ResultMoved, ward9.ID},
		{"AlreadyHere", func() *ScanRecord { return moveRecord("a", testVolume(ward7, at(0), at(0)), ward7, at(5)) }, true, ResultAlreadyHere, ward7.ID},
		{"LateNeedsTheLock", func() *ScanRecord { return moveRecord("a", testVolume(ward7, at(0), at(9)), ward9, at(5)) }, false, "", 0},
		{"ContextNeedsTheLock", func() *ScanRecord {
			return &ScanRecord{Result: ScanResult{Result: ResultLocationSet}, Effects: Effects{Context: ward7}}
		}, false, ResultLocationSet, 0},
		{"NothingMoves", func() *ScanRecord { return &ScanRecord{Result: ScanResult{Result: ResultUnknown}} }, true, ResultUnknown, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.rec()
			before, after, ok := DecideAlone(r)
			if ok != tt.ok || r.Result.Result != tt.want || after.CurrentID != tt.wantNow {
				t.Fatalf("DecideAlone = %v (%s, now %d), want %v (%s, now %d)", ok, r.Result.Result, after.CurrentID, tt.ok, tt.want, tt.wantNow)
			}
			if ok != (len(r.Response) > 0) {
				t.Errorf("decided %v but answer %q", ok, r.Response)
			}
			if r.Volume != nil && ok && before != StateOf(r.Volume) {
				t.Errorf("before %+v, want the state as read", before)
			}
		})
	}
}

func TestPatientRead(t *testing.T) {
	t.Parallel()
	vol := &Volume{PatientID: 7}
	tests := []struct {
		name string
		res  ScanResult
		want int64
	}{
		{"VolumeShowsItsPatient", ScanResult{Result: ResultMoved, Volume: vol}, 7},
		{"DestroyedVolumeStillShown", ScanResult{Result: ResultRejected, Volume: vol}, 7},
		{"ChoicesShowTheirPatient", ScanResult{Result: ResultAmbiguous, Choices: []*Volume{{PatientID: 8}, {PatientID: 8}}}, 8},
		{"LocationShowsNoPatient", ScanResult{Result: ResultLocationSet, Location: ward7}, 0},
		{"UnknownShowsNoPatient", ScanResult{Result: ResultUnknown}, 0},
		{"ErrorShowsNoPatient", ScanResult{Result: ResultError, Error: &ScanError{Code: EINVALID}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PatientRead(&tt.res); got != tt.want {
				t.Errorf("PatientRead = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestSupersedes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		newAt, last time.Time
		want        bool
	}{
		{"FirstMovement", at(0), time.Time{}, true},
		{"Later", at(1), at(0), true},
		{"EqualGoesToTheLaterArrival", at(0), at(0), true},
		{"Earlier", at(0), at(1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Supersedes(tt.newAt, tt.last); got != tt.want {
				t.Errorf("Supersedes = %v, want %v", got, tt.want)
			}
		})
	}
}

// A failure to read history fails the decision: a late scan is never
// placed on a guess.
func TestDecisionFailsWhenHistoryCannotBeRead(t *testing.T) {
	t.Parallel()
	r := moveRecord("late", testVolume(ward7, at(10), at(10)), ward9, at(5))
	d := NewDecision([]*ScanRecord{r})
	d.Hold(10, StateOf(r.Volume))
	if err := d.Decide(brokenHistory{}); !errors.Is(err, errBroken) {
		t.Errorf("Decide = %v, want the history's failure", err)
	}
}

var errBroken = errors.New("connection lost")

type brokenHistory struct{}

func (brokenHistory) LatestStep(int64, time.Time) (Step, bool, error) {
	return Step{}, false, errBroken
}
func (brokenHistory) StepsBefore(int64, Step) ([]Step, bool, error) { return nil, false, errBroken }
func (brokenHistory) Location(int64) (*Location, error)             { return nil, errBroken }
