package tracking

import (
	"fmt"
	"slices"
	"time"
)

// VolumeState is where a volume is as the store holds it: the location,
// since when it has been there, and the scan time of the movement that
// put it there (zero before the first). A movement is decided against it.
type VolumeState struct {
	CurrentID  int64
	Since      time.Time
	LastScanAt time.Time
}

// StateOf is the state a volume was read in.
func StateOf(v *Volume) VolumeState {
	st := VolumeState{CurrentID: v.CurrentID, Since: v.Since.Time}
	if v.LastScanAt != nil {
		st.LastScanAt = *v.LastScanAt
	}
	return st
}

// Step is one movement as the rules read a volume's history: when it was
// scanned and where it went. Seq is its place in arrival order among the
// stored movements (the store's own numbering); a movement decided in the
// chunk at hand has none, and arrived after every stored one.
type Step struct {
	At  time.Time
	To  int64
	Seq int64
}

// History is what deciding a chunk of scans reads inside the store's
// transaction, with the chunk's volumes locked. Only a late scan reads a
// volume's movements; a location is read only when no record at hand
// carries it.
type History interface {
	// LatestStep is the volume's latest stored movement scanned at or
	// before at (of equal times, the last to arrive); ok is false when
	// there is none.
	LatestStep(volumeID int64, at time.Time) (s Step, ok bool, err error)
	// StepsBefore returns the volume's stored movements that come before
	// after, newest first (of equal times, the last to arrive first), from
	// the newest when after is the zero Step: as many as the store reads
	// at a time, and whether there may be more.
	StepsBefore(volumeID int64, after Step) (steps []Step, more bool, err error)
	// Location reads a location by id.
	Location(id int64) (*Location, error)
}

// Effects are what a decided scan writes beside its own row. The store
// writes each kind with statements of its own, in the transaction that
// holds the scan. A new kind of effect is a field here, set by the rules,
// and a statement in the store; see Plain.
type Effects struct {
	// Move books the record's volume to its target at the scan's time: a
	// movement. The volume's new state is the Decision's, per volume.
	Move bool
	// ReadPatientID is the patient whose details the answer shows: the
	// scan is a read of their record for the access log. 0 for none.
	ReadPatientID int64
	// Context is where the scan sets its device's location context.
	Context *Location
	// Requested is set when the scan books a volume an open request may
	// want: its requests are read and decided under lock.
	Requested bool
	// Found is set when the scan found a missing volume: it is active
	// again, with an entry in its status history (see scan_found.go).
	Found bool
	// Sweep is the sweep the scan was made for, and Sighting what it saw
	// there (see scan_sweep.go).
	Sweep    *SweepTarget
	Sighting Sighting
}

// Plain reports whether the effects are only those a lone scan's single
// statement writes (the scan, its movement, the volume's state and the
// access-log entry). A store with such a fast path sends a record with any
// other effect down its general path.
func (e Effects) Plain() bool {
	return e.Context == nil && !e.Requested && !e.Found && e.Sweep == nil
}

// Decision decides a chunk of records in list order against their
// volumes' states as the store read them under lock, exactly as if the
// scans had come one at a time. The store then writes what it decided:
// each claimed record's row, answer and effects, and each changed
// volume's new state.
type Decision struct {
	recs    []*ScanRecord
	ids     []int64       // the volumes the chunk moves, ascending
	tracks  []volumeTrack // one for each of ids
	claimed []*ScanRecord
	book    *requestBook // open requests, when the store held any
}

// NewDecision starts deciding recs. A record marked Repeat (its scan id
// is stored already) is left as it is.
func NewDecision(recs []*ScanRecord) *Decision {
	d := &Decision{recs: recs}
	for _, r := range recs {
		if r.Moves() && !r.Repeat {
			d.ids = append(d.ids, r.Volume.ID)
		}
	}
	slices.Sort(d.ids)
	d.ids = slices.Compact(d.ids)
	d.tracks = make([]volumeTrack, len(d.ids))
	for i, id := range d.ids {
		d.tracks[i].id = id
	}
	return d
}

// VolumeIDs are the volumes the chunk moves, ascending. The store locks
// them in this order, so that two chunks sharing volumes queue rather
// than deadlock, and gives each one's state to Hold.
func (d *Decision) VolumeIDs() []int64 { return d.ids }

// Hold gives the state of a volume as the store read it under lock.
func (d *Decision) Hold(id int64, st VolumeState) {
	if t := d.track(id); t != nil {
		t.state, t.held = st, true
	}
}

// HoldStatus gives the status of a volume as the store read it under
// lock (see scan_found.go); a volume given none is taken as movable.
func (d *Decision) HoldStatus(id int64, st VolumeStatus) {
	if t := d.track(id); t != nil {
		t.status = st
	}
}

func (d *Decision) track(id int64) *volumeTrack {
	if i, ok := slices.BinarySearch(d.ids, id); ok {
		return &d.tracks[i]
	}
	return nil
}

// Decide decides every record not marked Repeat, in order, and completes
// its answer and effects. h is read only for a late scan's history, or a
// location none of the records carries.
func (d *Decision) Decide(h History) error {
	d.claimed = d.claimed[:0]
	for _, r := range d.recs {
		if r.Repeat {
			continue
		}
		if r.Moves() {
			t := d.track(r.Volume.ID)
			if t == nil || !t.held {
				return Errorf(ENOTFOUND, "The volume no longer exists.")
			}
			if err := t.decideMove(r, h); err != nil {
				return err
			}
			d.routeRequests(r, t)
		}
		r.finish()
		d.claimed = append(d.claimed, r)
	}
	return nil
}

// Claimed are the records decided, in list order: the ones to store.
func (d *Decision) Claimed() []*ScanRecord { return d.claimed }

// VolumeChange is a volume's state as a chunk leaves it.
type VolumeChange struct {
	ID    int64
	State VolumeState
}

// Changed lists, by volume id, the volumes whose state the chunk changed.
func (d *Decision) Changed() []VolumeChange {
	var out []VolumeChange
	for _, t := range d.tracks {
		if t.changed {
			out = append(out, VolumeChange{ID: t.id, State: t.state})
		}
	}
	return out
}

// DecideAlone decides a lone record from the state its volume was read in,
// for a store that writes it in one statement only while that state still
// holds. It returns the state before and after, and reports false,
// deciding nothing, for a record that needs more: a late scan (placing it
// in history reads the movements), effects beyond Plain, or a scan that
// may find a missing volume. The volume's status as it was read must still
// hold too.
func DecideAlone(r *ScanRecord) (before, after VolumeState, ok bool) {
	if !r.Effects.Plain() || mayBeFound(r) {
		return before, after, false
	}
	if r.Moves() {
		v := r.Volume
		if v.Current == nil || v.CurrentID == 0 {
			return before, after, false
		}
		before = StateOf(v)
		if !Supersedes(r.Scan.ScannedAt.Time, before.LastScanAt) {
			return before, after, false
		}
		t := volumeTrack{id: v.ID, state: before, held: true}
		if err := t.decide(r, nil); err != nil {
			return before, after, false
		}
		after = t.state
	}
	r.finish()
	return before, after, true
}

// volumeTrack is one volume while a chunk's scans are decided: its state,
// moved on scan by scan, and the chunk's movements of it so far in the
// order decided.
type volumeTrack struct {
	id      int64
	state   VolumeState
	held    bool // the store read the volume
	changed bool // state is not what the store holds
	pending []Step
	// requestedBy is the volume's patient when the store read it flagged
	// as possibly wanted by an open request (see HoldRequested), else 0.
	requestedBy int64
	status      VolumeStatus // as the store read it ("" when it did not say)
}

// decide decides r, a scan booking the track's volume, moves the track on
// and completes r's answer. A scan in time order decides where the volume
// is; a late one goes into history in its place, where the volume was then
// is its previous location, and it may move when the volume arrived where
// it is now.
func (t *volumeTrack) decide(r *ScanRecord, h History) error {
	at := r.Scan.ScannedAt.Time
	prev := t.state.CurrentID
	late := !Supersedes(at, t.state.LastScanAt)
	switch {
	case late:
		r.Result.Result = ResultRecordedLate
		addMessage(&r.Result, "Recorded in history; a newer scan decides where this volume is.")
		var err error
		if prev, err = t.locationAt(r.Volume.HomeID, at, h); err != nil {
			return err
		}
	case prev == r.Target.ID:
		r.Result.Result = ResultAlreadyHere
	default:
		r.Result.Result = ResultMoved
		t.state.CurrentID, t.state.Since = r.Target.ID, at
	}
	if !late {
		t.state.LastScanAt, t.changed = at, true
	}
	t.pending = append(t.pending, Step{At: at, To: r.Target.ID})
	if late {
		if err := t.recomputeSince(h); err != nil {
			return err
		}
	}
	r.Effects.Move = true
	return t.answer(r, prev, h)
}

// answer completes a movement's answer: the volume as the scan leaves it
// (where it is and since when, not its home: the answer says where the
// volume is, not where it lives) and where it was before the scan.
func (t *volumeTrack) answer(r *ScanRecord, prevID int64, h History) error {
	prev, err := locationFor(prevID, r, h)
	if err != nil {
		return err
	}
	cur, err := locationFor(t.state.CurrentID, r, h)
	if err != nil {
		return err
	}
	v := *r.Volume
	v.CurrentID, v.Current, v.Since, v.Home = cur.ID, cur, TimestampOf(t.state.Since), nil
	r.Result.Volume, r.Result.PreviousLocation = &v, prev
	return nil
}

// locationFor is the location with the id: one the record carries (its
// target, where its volume was read, its volume's home), else read.
func locationFor(id int64, r *ScanRecord, h History) (*Location, error) {
	for _, l := range [3]*Location{r.Target, r.Volume.Current, r.Volume.Home} {
		if l != nil && l.ID == id {
			return l, nil
		}
	}
	if h == nil {
		return nil, fmt.Errorf("location %d is not at hand", id)
	}
	return h.Location(id)
}

// locationAt is where the volume was just before a late scan's time: the
// destination of its latest movement at or before then, stored or decided
// earlier in the chunk (which arrived later, so wins a tie), else its home.
func (t *volumeTrack) locationAt(home int64, at time.Time, h History) (int64, error) {
	s, ok, err := h.LatestStep(t.id, at)
	if err != nil {
		return 0, err
	}
	id, best := home, time.Time{}
	if ok {
		id, best = s.To, s.At
	}
	for _, p := range t.pending {
		if !p.At.After(at) && !p.At.Before(best) {
			id, best = p.To, p.At
		}
	}
	return id, nil
}

// recomputeSince works out again when the volume arrived where it is, after
// a late scan went into its history: the start of the last run of
// movements, in time order, that end at its current location. It walks the
// history back from the newest movement, stored or decided earlier in the
// chunk (which arrived later, so comes later at an equal time), and stops
// at the first that went elsewhere.
func (t *volumeTrack) recomputeSince(h History) error {
	pending := slices.Clone(t.pending)
	slices.Reverse(pending)
	slices.SortStableFunc(pending, func(a, b Step) int { return b.At.Compare(a.At) })
	stored := storedSteps{h: h, volumeID: t.id}
	since := t.state.Since
	for {
		s, err := stored.peek()
		if err != nil {
			return err
		}
		var next *Step
		if len(pending) > 0 && (s == nil || !pending[0].At.Before(s.At)) {
			next, pending = &pending[0], pending[1:]
		} else if s != nil {
			next = s
			stored.pop()
		}
		if next == nil || next.To != t.state.CurrentID {
			break
		}
		since = next.At
	}
	if !since.Equal(t.state.Since) {
		t.state.Since, t.changed = since, true
	}
	return nil
}

// storedSteps reads a volume's stored movements newest first, as many at a
// time as the store gives.
type storedSteps struct {
	h        History
	volumeID int64
	page     []Step
	last     Step // the last movement read; zero before the first
	done     bool
}

// peek returns the next movement, or nil when there are no more.
func (m *storedSteps) peek() (*Step, error) {
	if len(m.page) == 0 && !m.done {
		page, more, err := m.h.StepsBefore(m.volumeID, m.last)
		if err != nil {
			return nil, err
		}
		m.page, m.done = page, !more || len(page) == 0
		if len(page) > 0 {
			m.last = page[len(page)-1]
		}
	}
	if len(m.page) == 0 {
		return nil, nil
	}
	return &m.page[0], nil
}

func (m *storedSteps) pop() { m.page = m.page[1:] }

// finish completes a decided record: the patient its answer shows, for the
// access log, and the answer as it is stored and given back.
func (r *ScanRecord) finish() {
	r.Result.Relabel = relabelNotice(r.Result.Result, r.Result.Volume)
	r.Effects.ReadPatientID = PatientRead(&r.Result)
	r.Response = r.Result.AppendJSON(make([]byte, 0, 768))
}

// PatientRead is the patient whose details an answer shows, or 0: a
// volume's answer shows its patient, and an ambiguous NHS number's shows
// the patient whose volumes are the choices. Such an answer is a read of
// the patient's record, written to the access log with the scan.
func PatientRead(res *ScanResult) int64 {
	switch {
	case res.Volume != nil:
		return res.Volume.PatientID
	case len(res.Choices) > 0:
		return res.Choices[0].PatientID
	}
	return 0
}
