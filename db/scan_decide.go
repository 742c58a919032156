package db

import (
	"fmt"
	"slices"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// decide settles each new record's answer in list order, applying
// tracking's time-order rule to the locked volume states as the chunk
// changes them, exactly as if the scans had come one at a time.
func (w *chunkWriter) decide() error {
	first := map[string]*tracking.ScanRecord{}
	for _, r := range w.recs {
		if r.Repeat || first[r.Scan.ScanID] != nil {
			continue
		}
		first[r.Scan.ScanID] = r
		if r.Moves() {
			if err := w.decideMovement(r); err != nil {
				return err
			}
		}
		r.Response = r.Result.AppendJSON(make([]byte, 0, 768))
		w.claimed = append(w.claimed, r)
	}
	for _, r := range w.recs {
		if f := first[r.Scan.ScanID]; f != nil && f != r && !r.Repeat {
			r.Response, r.Repeat = f.Response, true
		}
	}
	return nil
}

func (w *chunkWriter) decideMovement(r *tracking.ScanRecord) error {
	st := w.vols[r.Volume.ID]
	if st == nil {
		return tracking.Errorf(tracking.ENOTFOUND, "The volume no longer exists.")
	}
	at := r.Scan.ScannedAt.Time
	current := tracking.DecideMovement(r, tracking.VolumeState{CurrentID: st.CurrentLocationID, LastScanAt: st.LastScannedAt})
	prevID := st.CurrentLocationID
	if !current {
		var err error
		if prevID, err = w.locationAt(r.Volume, st, at); err != nil {
			return err
		}
	}
	if current {
		if st.CurrentLocationID != r.Target.ID {
			st.CurrentLocationID, st.CurrentSince = r.Target.ID, at
		}
		st.LastScannedAt, st.changed = &at, true
	}
	st.pending = append(st.pending, pendingMove{at: at, to: r.Target.ID})
	if !current {
		if err := w.recomputeSince(r.Volume.ID, st); err != nil {
			return err
		}
	}
	prev, err := w.location(prevID)
	if err != nil {
		return err
	}
	cur, err := w.location(st.CurrentLocationID)
	if err != nil {
		return err
	}
	answerMovement(r, prev, cur, st.CurrentSince)
	return nil
}

// answerMovement completes a movement's answer: the volume as the scan
// leaves it, and where it was before.
func answerMovement(r *tracking.ScanRecord, prev, cur *tracking.Location, since time.Time) {
	v := *r.Volume
	v.CurrentID, v.Current, v.Since = cur.ID, cur, tracking.TimestampOf(since)
	v.Home = nil // the answer says where the volume is, not where it lives
	r.Result.Volume, r.Result.PreviousLocation = &v, prev
}

// locationAt is where the volume was just before a late scan's time: the
// latest earlier movement's destination, stored or decided earlier in this
// chunk (which arrived later, so wins a tie), else its home.
func (w *chunkWriter) locationAt(v *tracking.Volume, st *volState, at time.Time) (int64, error) {
	var rows []struct {
		ScannedAt    time.Time
		ToLocationID int64
	}
	err := scan(w.tx.Raw(`SELECT scanned_at, to_location_id FROM movements WHERE volume_id = ? AND scanned_at <= ?
		ORDER BY scanned_at DESC, id DESC LIMIT 1`, v.ID, at.UTC()), &rows)
	if err != nil {
		return 0, err
	}
	id, best := v.HomeID, time.Time{}
	if len(rows) == 1 {
		id, best = rows[0].ToLocationID, rows[0].ScannedAt
	}
	for _, p := range st.pending {
		if !p.at.After(at) && !p.at.Before(best) {
			id, best = p.to, p.at
		}
	}
	return id, nil
}

// sincePage is how many stored movements recomputeSince reads at a time,
// newest first: the run of movements that ends where a volume is now is
// nearly always short, while its whole history may be years long.
const sincePage = 32

// recomputeSince works out again when the volume arrived where it is, after
// a late scan was slotted into its history: the start of the last run of
// movements, in time order, that end at its current location. It walks the
// history back from the newest movement, stored or decided earlier in this
// chunk (which arrived later, so comes later at an equal time), and stops
// at the first that went elsewhere.
func (w *chunkWriter) recomputeSince(volumeID int64, st *volState) error {
	pending := slices.Clone(st.pending)
	slices.Reverse(pending)
	slices.SortStableFunc(pending, func(a, b pendingMove) int { return b.at.Compare(a.at) })
	stored := storedMoves{w: w, volumeID: volumeID}
	since := st.CurrentSince
	for {
		s, err := stored.peek()
		if err != nil {
			return err
		}
		var next *pendingMove
		if len(pending) > 0 && (s == nil || !pending[0].at.Before(s.at)) {
			next, pending = &pending[0], pending[1:]
		} else if s != nil {
			next = s
			stored.pop()
		}
		if next == nil || next.to != st.CurrentLocationID {
			break
		}
		since = next.at
	}
	if !since.Equal(st.CurrentSince) {
		st.CurrentSince, st.changed = since, true
	}
	return nil
}

// storedMoves reads a volume's stored movements newest first, a page at a
// time.
type storedMoves struct {
	w        *chunkWriter
	volumeID int64
	page     []pendingMove
	done     bool
	lastAt   time.Time
	lastID   int64 // of the last movement read; 0 before the first page
}

// peek returns the next movement, or nil when there are no more.
func (m *storedMoves) peek() (*pendingMove, error) {
	if len(m.page) == 0 && !m.done {
		if err := m.fetch(); err != nil {
			return nil, err
		}
	}
	if len(m.page) == 0 {
		return nil, nil
	}
	return &m.page[0], nil
}

func (m *storedMoves) pop() { m.page = m.page[1:] }

func (m *storedMoves) fetch() error {
	var rows []struct {
		ID           int64
		ScannedAt    time.Time
		ToLocationID int64
	}
	q := m.w.tx.Raw(`SELECT id, scanned_at, to_location_id FROM movements WHERE volume_id = ?
		ORDER BY scanned_at DESC, id DESC LIMIT ?`, m.volumeID, sincePage)
	if m.lastID != 0 {
		q = m.w.tx.Raw(`SELECT id, scanned_at, to_location_id FROM movements
			WHERE volume_id = ? AND (scanned_at, id) < (?, ?)
			ORDER BY scanned_at DESC, id DESC LIMIT ?`, m.volumeID, m.lastAt.UTC(), m.lastID, sincePage)
	}
	if err := scan(q, &rows); err != nil {
		return err
	}
	m.done = len(rows) < sincePage
	for _, r := range rows {
		m.page = append(m.page, pendingMove{at: r.ScannedAt.UTC(), to: r.ToLocationID})
		m.lastAt, m.lastID = r.ScannedAt, r.ID
	}
	return nil
}

// location returns a location the chunk has met, or reads it.
func (w *chunkWriter) location(id int64) (*tracking.Location, error) {
	if l := w.locs[id]; l != nil {
		return l, nil
	}
	var rows []locationView
	err := scan(w.tx.Raw("SELECT "+locationColumns+" FROM locations l LEFT JOIN locations p ON p.id = l.parent_id WHERE l.id = ?", id), &rows)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("location %d vanished", id)
	}
	l := rows[0].location()
	w.locs[id] = l
	return l, nil
}
