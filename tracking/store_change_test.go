package tracking

import (
	"context"
	"slices"
	"strings"
	"time"
)

// The memStore's part of the Store contract for patient changes, merges,
// imports and the PAS feed: each method one step under the store's lock,
// undone whole when it fails.

// memMerge is a merge as memStore records it.
type memMerge struct {
	Merge
	duplicateID, survivorID int64
	relabel                 []int64
}

// memTx is a PatientTx over a memStore whose lock is held.
type memTx struct{ m *memStore }

func (m *memStore) snapshot() func() {
	ps, vs, ms, fs := clonePtrs(m.patients), clonePtrs(m.volumes), slices.Clone(m.merges), slices.Clone(m.feed)
	access := slices.Clone(m.access)
	return func() { m.patients, m.volumes, m.merges, m.feed, m.access = ps, vs, ms, fs, access }
}

// clonePtrs copies the values a list points to, so a failed step can put
// back what it changed.
func clonePtrs[T any](in []*T) []*T {
	out := make([]*T, len(in))
	for i, p := range in {
		c := *p
		out[i] = &c
	}
	return out
}

func (m *memStore) ChangePatients(ctx context.Context, change func(PatientTx) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	undo := m.snapshot()
	if err := change(memTx{m}); err != nil {
		undo()
		return err
	}
	return nil
}

func (t memTx) find(match func(*Patient) bool) (*Patient, error) {
	for _, p := range t.m.patients {
		if match(p) {
			c := *p
			c.Volumes = nil
			return &c, nil
		}
	}
	return nil, Errorf(ENOTFOUND, "No such patient.")
}

func (t memTx) PatientByHospitalNumber(hn string) (*Patient, error) {
	return t.find(func(p *Patient) bool { return p.HospitalNumber == hn })
}

func (t memTx) PatientsByNumbers(hn, nhs string) (byHN, byNHS *Patient, err error) {
	byHN, _ = t.find(func(p *Patient) bool { return p.HospitalNumber == hn })
	if nhs != "" {
		byNHS, _ = t.find(func(p *Patient) bool { return p.NHSNumber == nhs })
	}
	return byHN, byNHS, nil
}

func (t memTx) VolumesOf(id int64) ([]*Volume, error) {
	var out []*Volume
	for _, v := range t.m.volumes {
		if v.PatientID == id {
			c := *v
			out = append(out, &c)
		}
	}
	slices.SortFunc(out, func(a, b *Volume) int { return a.Number - b.Number })
	return out, nil
}

// unique refuses a patient whose hospital or NHS number another holds.
func (t memTx) unique(p *Patient) error {
	for _, o := range t.m.patients {
		if o.ID != p.ID && (o.HospitalNumber == p.HospitalNumber || p.NHSNumber != "" && o.NHSNumber == p.NHSNumber) {
			return Errorf(ECONFLICT, "A patient with this hospital number or NHS number already exists.")
		}
	}
	return nil
}

func (t memTx) CreatePatient(p *Patient) error {
	p.ID = int64(len(t.m.patients) + 1)
	if err := t.unique(p); err != nil {
		return err
	}
	c := *p
	t.m.patients = append(t.m.patients, &c)
	return nil
}

func (t memTx) UpdatePatient(p *Patient) error {
	if err := t.unique(p); err != nil {
		return err
	}
	s := t.m.patients[p.ID-1]
	s.NHSNumber, s.FamilyName, s.GivenName, s.BirthDate, s.DeathDate = p.NHSNumber, p.FamilyName, p.GivenName, p.BirthDate, p.DeathDate
	return nil
}

func (t memTx) Merge(plan *MergePlan) error {
	dup, surv := t.m.patients[plan.Duplicate.ID-1], t.m.patients[plan.Survivor.ID-1]
	for _, mv := range plan.Moves {
		v := t.m.volumes[mv.Volume.ID-1]
		v.PatientID, v.Number = surv.ID, mv.To
	}
	for _, p := range t.m.patients {
		if p.MergedIntoID == dup.ID {
			p.MergedIntoID = surv.ID
		}
	}
	dup.MergedIntoID = surv.ID
	if plan.TakeNHSNumber {
		surv.NHSNumber, dup.NHSNumber = dup.NHSNumber, ""
	}
	plan.ID = int64(len(t.m.merges) + 1)
	t.m.merges = append(t.m.merges, &memMerge{Merge: Merge{ID: plan.ID, Duplicate: *plan.Duplicate, At: plan.At,
		By: plan.By.Name, Role: plan.By.Role, Channel: plan.Channel}, duplicateID: dup.ID, survivorID: surv.ID, relabel: plan.Relabel()})
	return nil
}

func (t memTx) LogAccess(entries []Access) error {
	t.m.access = append(t.m.access, entries...)
	return nil
}

func (m *memStore) FindMerges(ctx context.Context, f MergeFilter) ([]*Merge, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*Merge
	for i := len(m.merges) - 1; i >= 0 && len(out) < f.Limit; i-- {
		mm := m.merges[i]
		if f.ID != 0 && mm.ID != f.ID || f.Open && mm.DoneAt != nil || f.PatientID != 0 && mm.survivorID != f.PatientID {
			continue
		}
		c := mm.Merge
		sc := *m.patients[mm.survivorID-1]
		c.Survivor = &sc
		for _, id := range mm.relabel {
			c.Relabel = append(c.Relabel, m.volume(m.volumes[id-1]))
		}
		out = append(out, &c)
	}
	return out, nil
}

func (m *memStore) FinishMerge(ctx context.Context, id int64, by string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	mm := m.merges[id-1]
	if mm.DoneAt != nil {
		return Errorf(ECONFLICT, "Done already.")
	}
	mm.DoneAt, mm.DoneBy = &at, by
	return nil
}

func (m *memStore) CountOpenMerges(ctx context.Context) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, mm := range m.merges {
		if mm.DoneAt == nil {
			n++
		}
	}
	return n, nil
}

func (m *memStore) LocationGeneration(ctx context.Context) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.locationGeneration, nil
}

func (m *memStore) RecordFeedMessage(ctx context.Context, msg *FeedMessage, apply func(PatientTx) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, f := range m.feed {
		if f.Applied && f.Sender == msg.Sender && f.Facility == msg.Facility && f.ControlID == msg.ControlID {
			msg.RepeatOf, msg.PatientID = f.ID, f.PatientID
			m.keepFeed(msg)
			return nil
		}
	}
	undo := m.snapshot()
	if err := apply(memTx{m}); err != nil {
		undo()
		return err
	}
	msg.Applied = true
	m.keepFeed(msg)
	return nil
}

func (m *memStore) keepFeed(msg *FeedMessage) {
	msg.ID = int64(len(m.feed) + 1)
	c := *msg
	m.feed = append(m.feed, &c)
}

func (m *memStore) KeepFeedMessage(ctx context.Context, msg *FeedMessage) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keepFeed(msg)
	return nil
}

func (m *memStore) FindFeedMessages(ctx context.Context, f FeedFilter) ([]*FeedMessage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*FeedMessage
	for i := len(m.feed) - 1; i >= 0 && len(out) < f.Limit; i-- {
		if x := m.feed[i]; (f.ID == 0 || x.ID == f.ID) && (f.Status == "" || x.Status == f.Status) {
			c := *x
			out = append(out, &c)
		}
	}
	return out, nil
}

// The memStore's imports: the store's part (read, Decide, write) of each.

func (m *memStore) ImportPatients(ctx context.Context, b *PatientBatch) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var found []*Patient
	for _, p := range m.patients {
		if slices.Contains(b.HospitalNumbers(), p.HospitalNumber) || p.NHSNumber != "" && slices.Contains(b.NHSNumbers(), p.NHSNumber) {
			c := *p
			found = append(found, &c)
		}
	}
	b.Decide(found)
	if b.DryRun {
		return nil
	}
	t := memTx{m}
	for _, p := range b.Changed {
		if err := t.UpdatePatient(p); err != nil {
			return err
		}
	}
	for _, p := range b.New {
		if err := t.CreatePatient(p); err != nil {
			return err
		}
	}
	return nil
}

func (m *memStore) ImportVolumes(ctx context.Context, b *VolumeBatch) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ps []*Patient
	for _, p := range m.patients {
		if slices.Contains(b.HospitalNumbers(), p.HospitalNumber) {
			ps = append(ps, p)
		}
	}
	var vs []*Volume
	for _, v := range m.volumes {
		if slices.ContainsFunc(ps, func(p *Patient) bool { return p.ID == v.PatientID }) ||
			v.LegacyCode != "" && slices.Contains(b.LegacyBarcodes(), v.LegacyCode) {
			c := *v
			vs = append(vs, &c)
		}
	}
	b.Decide(ps, vs)
	if b.DryRun {
		return nil
	}
	for _, v := range b.Changed {
		s := m.volumes[v.ID-1]
		s.Status, s.LegacyCode, s.HomeID, s.CurrentID, s.Since = v.Status, v.LegacyCode, v.HomeID, v.CurrentID, v.Since
	}
	for _, v := range b.New {
		v.ID = int64(len(m.volumes) + 1)
		v.Barcode = VolumeBarcode(v.ID)
		c := *v
		m.volumes = append(m.volumes, &c)
	}
	return nil
}

func (m *memStore) ImportLocations(ctx context.Context, b *LocationBatch) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var vs []*Volume
	for _, v := range m.volumes {
		if slices.ContainsFunc(b.Names(), func(n string) bool { return strings.ToUpper(n) == v.Barcode || n == v.LegacyCode }) {
			vs = append(vs, v)
		}
	}
	b.Decide(clonePtrs(m.locations), vs)
	if b.DryRun {
		return nil
	}
	for _, w := range b.Writes {
		l := w.Location
		if w.Parent != nil {
			l.ParentID = w.Parent.ID
		}
		if l.ID == 0 {
			l.ID = int64(len(m.locations) + 1)
			l.Barcode = LocationBarcode(l.ID)
			c := *l
			m.locations = append(m.locations, &c)
		} else {
			*m.locations[l.ID-1] = *l
		}
		m.locationGeneration++
	}
	return nil
}

// Appointment: memStore keeps no appointments (tests of the SIU feed run
// on the databases).
func (t memTx) Appointment(pasID string) (*Appointment, error) { return nil, nil }

func (t memTx) SaveAppointment(a *Appointment, req *Request) (AppointmentOutcome, error) {
	return "", Errorf(EINTERNAL, "memStore keeps no appointments")
}
