package tracking

import (
	"context"
	"slices"
	"time"
)

// memExceptions is the memStore's part for volumes that go astray: status
// histories, temporary folders, found volumes and sweeps.
type memExceptions struct {
	history map[int64][]*StatusChange
	temps   map[int64]*Temporary
	found   []memFound
	sweeps  []*memSweep
	// kept is each volume's review date and destruction proposal, holds
	// each patient's legal hold.
	kept  map[int64]*Retention
	holds map[int64]*Hold
}

type memFound struct {
	volumeID int64
	change   *StatusChange
	location *Location
	notify   string
}

type memSweep struct {
	sw      Sweep
	scans   []memSweepScan
	results []SweepResult
}

type memSweepScan struct {
	volumeID, wasAt int64
	result          Result
	raw, device     string
}

func (m *memStore) addHistory(id int64, c *StatusChange) {
	if m.ex.history == nil {
		m.ex.history = map[int64][]*StatusChange{}
	}
	m.ex.history[id] = append(m.ex.history[id], c)
}

func (m *memStore) UpdateVolume(ctx context.Context, id int64, upd VolumeUpdate) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	v := m.volumes[id-1]
	if upd.Retention != nil && !m.retentionOf(v).Same(upd.Retention) {
		return Errorf(ECONFLICT, "retention changed meanwhile")
	}
	m.writeRetention(v, upd)
	if upd.Status == nil {
		return nil
	}
	c := upd.Change
	if c == nil {
		c = &StatusChange{Status: *upd.Status, From: v.Status}
	}
	if c.From != v.Status {
		return Errorf(ECONFLICT, "changed meanwhile")
	}
	v.Status = *upd.Status
	m.addHistory(id, c)
	if v.Status == StatusTemporary && m.ex.temps[id] == nil {
		m.setTemp(id, &Temporary{Due: DateOf(c.At.Add(TemporaryDue))})
	}
	return nil
}

func (m *memStore) setTemp(id int64, t *Temporary) {
	if m.ex.temps == nil {
		m.ex.temps = map[int64]*Temporary{}
	}
	m.ex.temps[id] = t
}

func (m *memStore) FindStatusHistory(ctx context.Context, ids []int64) (map[int64][]*StatusChange, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[int64][]*StatusChange{}
	for _, id := range ids {
		out[id] = slices.Clone(m.ex.history[id])
	}
	return out, nil
}

func (m *memStore) CreateTemporaryVolume(ctx context.Context, v *Volume, t Temporary) error {
	if err := m.CreateVolume(ctx, v); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.setTemp(v.ID, &t)
	c := t.Change
	m.addHistory(v.ID, &c)
	return nil
}

func (m *memStore) FindTemporary(ctx context.Context, id int64) (*Temporary, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := m.ex.temps[id]
	if t == nil {
		return nil, Errorf(ENOTFOUND, "not a temporary folder")
	}
	c := *t
	return &c, nil
}

func (m *memStore) AmalgamateVolume(ctx context.Context, from, into *Volume, change StatusChange) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, i := m.volumes[from.ID-1], m.volumes[into.ID-1]
	if f.Status != from.Status || i.Status != into.Status {
		return Errorf(ECONFLICT, "changed meanwhile")
	}
	f.Status = StatusAmalgamated
	t := m.ex.temps[f.ID]
	if t == nil {
		t = &Temporary{}
		m.setTemp(f.ID, t)
	}
	t.IntoID, t.Into = i.ID, i.Barcode
	m.addHistory(f.ID, &change)
	return nil
}

// claimExceptions writes a claimed scan's found and sweep effects.
func (m *memStore) claimExceptions(r *ScanRecord) {
	if r.Effects.Found {
		v := m.volumes[r.Volume.ID-1]
		v.Status = StatusActive
		c := &StatusChange{Status: StatusActive, From: StatusMissing, Note: FoundNote(r), By: r.Scan.By, At: r.ReceivedAt}
		notify := ""
		for _, h := range m.ex.history[v.ID] {
			if h.Status == StatusMissing {
				notify = h.By
			}
		}
		m.addHistory(v.ID, c)
		m.ex.found = append(m.ex.found, memFound{volumeID: v.ID, change: c, location: r.Target, notify: notify})
	}
	if sw := r.Effects.Sweep; sw != nil {
		ms := m.ex.sweeps[sw.ID-1]
		switch {
		case ms.sw.Status != SweepOpen:
		case r.Effects.Sighting.Seen:
			ms.scans = append(ms.scans, memSweepScan{volumeID: r.Volume.ID, wasAt: r.Effects.Sighting.WasAt, result: r.Result.Result,
				device: r.Scan.Device})
		case r.Result.Result == ResultUnknown || r.Result.Result == ResultRejected:
			ms.scans = append(ms.scans, memSweepScan{result: r.Result.Result, raw: r.Raw})
		}
	}
}

func (m *memStore) FindMissing(ctx context.Context) ([]*MissingVolume, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*MissingVolume
	for _, v := range m.withStatus(StatusMissing) {
		c := m.volume(v)
		mv := &MissingVolume{VolumeAt: Listed(c)}
		for _, h := range m.ex.history[v.ID] {
			if h.Status == StatusMissing {
				mv.Since, mv.By, mv.Note = h.At, h.By, h.Note
			}
		}
		for id, t := range m.ex.temps {
			if t.OriginalID == v.ID && m.volumes[id-1].Status == StatusTemporary {
				mv.Temporary = m.volumes[id-1].Barcode
			}
		}
		out = append(out, mv)
	}
	return out, nil
}

func (m *memStore) FindTemporaries(ctx context.Context) ([]*TemporaryVolume, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*TemporaryVolume
	for _, v := range m.withStatus(StatusTemporary) {
		c := m.volume(v)
		tv := &TemporaryVolume{VolumeAt: Listed(c), Due: DateOf(v.CreatedAt.Add(TemporaryDue))}
		if t := m.ex.temps[v.ID]; t != nil {
			tv.Original, tv.Due = t.Original, t.Due
		}
		out = append(out, tv)
	}
	return out, nil
}

func (m *memStore) withStatus(st VolumeStatus) []*Volume {
	var out []*Volume
	for _, v := range m.volumes {
		if v.Status == st {
			out = append(out, v)
		}
	}
	return out
}

func (m *memStore) FindFound(ctx context.Context, since time.Time, by string) ([]*FoundVolume, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*FoundVolume
	for i := len(m.ex.found) - 1; i >= 0; i-- {
		f := m.ex.found[i]
		if f.change.At.Before(since) || by != "" && f.notify != by {
			continue
		}
		c := m.volume(m.volumes[f.volumeID-1])
		c.Current = f.location
		out = append(out, &FoundVolume{VolumeAt: Listed(c), At: f.change.At,
			By: f.change.By, MarkedMissingBy: f.notify})
	}
	return out, nil
}

func (m *memStore) FindAway(ctx context.Context, cutoffs []AwayCutoff) ([]*AwayVolume, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*AwayVolume
	for _, c := range cutoffs {
		for _, v := range m.volumes {
			if v.CurrentID == c.LocationID && v.Since.Before(c.Before) && slices.Contains(OverdueStatuses, v.Status) {
				out = append(out, &AwayVolume{Volume: m.volume(v)})
			}
		}
	}
	return out, nil
}

func (m *memStore) FindLocationsInside(ctx context.Context, id int64) ([]int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.inside(id), nil
}

func (m *memStore) inside(id int64) []int64 {
	var out []int64
	for next := []int64{id}; len(next) > 0; {
		var more []int64
		for _, l := range m.locations {
			if slices.Contains(next, l.ParentID) {
				more = append(more, l.ID)
			}
		}
		out, next = append(out, more...), more
	}
	return out
}

func (m *memStore) UpdateLocation(ctx context.Context, l *Location) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := *l
	m.locations[l.ID-1] = &c
	return nil
}

func (m *memStore) CreateSweep(ctx context.Context, sw *Sweep) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	sw.ID = SweepID(len(m.ex.sweeps) + 1)
	m.ex.sweeps = append(m.ex.sweeps, &memSweep{sw: *sw})
	return nil
}

func (m *memStore) sweep(id SweepID) (*memSweep, error) {
	if id < 1 || int(id) > len(m.ex.sweeps) {
		return nil, Errorf(ENOTFOUND, "There is no sweep %d.", id)
	}
	return m.ex.sweeps[id-1], nil
}

func (m *memStore) FindSweep(ctx context.Context, id SweepID) (*Sweep, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ms, err := m.sweep(id)
	if err != nil {
		return nil, err
	}
	sw := ms.sw
	return &sw, nil
}

func (m *memStore) CountSweep(ctx context.Context, id SweepID) (SweepCounts, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ms, err := m.sweep(id)
	if err != nil {
		return SweepCounts{}, err
	}
	var c SweepCounts
	seen := map[int64]bool{}
	for _, sc := range ms.scans {
		switch {
		case sc.volumeID == 0:
			c.Unknown++
		case !seen[sc.volumeID]:
			seen[sc.volumeID] = true
			c.Seen++
		}
		if sc.wasAt != 0 {
			c.Corrected++
		}
	}
	return c, nil
}

func (m *memStore) FindSweeps(ctx context.Context, f SweepFilter) ([]*Sweep, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*Sweep
	for i := len(m.ex.sweeps) - 1; i >= 0; i-- {
		if sw := m.ex.sweeps[i].sw; f.Status == "" || sw.Status == f.Status {
			out = append(out, &sw)
		}
	}
	return out, nil
}

func (m *memStore) FinishSweep(ctx context.Context, id SweepID, at time.Time, by string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	ms, err := m.sweep(id)
	if err != nil {
		return err
	}
	if ms.sw.Status != SweepOpen {
		return Errorf(ECONFLICT, "Sweep %d is finished already.", id)
	}
	var sightings []SweepSighting
	for _, sc := range ms.scans {
		if sc.volumeID != 0 {
			sightings = append(sightings, SweepSighting{VolumeID: sc.volumeID, WasAt: sc.wasAt, Device: sc.device})
		}
	}
	where := append(m.inside(ms.sw.Location.ID), ms.sw.Location.ID)
	var recorded []RecordedVolume
	for _, v := range m.volumes {
		if slices.Contains(where, v.CurrentID) && Movable(v.Status) {
			r := RecordedVolume{VolumeID: v.ID, Since: v.Since.Time}
			if v.LastScanAt != nil {
				r.LastScanAt = *v.LastScanAt
			}
			recorded = append(recorded, r)
		}
	}
	ms.results = ReconcileSweep(ms.sw.StartedAt.Time, sightings, recorded)
	fin := TimestampOf(at)
	ms.sw.Status, ms.sw.FinishedAt, ms.sw.FinishedBy = SweepFinished, &fin, by
	return nil
}

func (m *memStore) FindSweepResults(ctx context.Context, id SweepID) (*SweepResults, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ms, err := m.sweep(id)
	if err != nil {
		return nil, err
	}
	sw := ms.sw
	res := &SweepResults{Sweep: &sw}
	for _, r := range ms.results {
		e := SweepEntry{Volume: m.volume(m.volumes[r.VolumeID-1]), Outcome: r.Outcome, Device: r.Device}
		if r.WasAt != 0 {
			e.WasAt = m.locations[r.WasAt-1]
		}
		res.Entries = append(res.Entries, e)
	}
	for _, sc := range ms.scans {
		if sc.volumeID == 0 {
			res.Unknown = append(res.Unknown, sc.raw)
		}
	}
	return res, nil
}
