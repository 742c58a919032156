package tracking

import "context"

// The memStore's part for what stands between a volume and its
// destruction: review dates and proposals by volume, holds by patient.

func (m *memStore) FindRetention(ctx context.Context, ids []int64) (map[int64]*Retention, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[int64]*Retention{}
	for _, id := range ids {
		if r := m.retentionOf(m.volumes[id-1]); r != nil {
			out[id] = r
		}
	}
	return out, nil
}

// retentionOf is a copy of a volume's retention as the store holds it,
// nil when nothing stands in the way; the caller holds m.mu.
func (m *memStore) retentionOf(v *Volume) *Retention {
	var r Retention
	if k := m.ex.kept[v.ID]; k != nil {
		r.RetainUntil, r.Proposal = k.RetainUntil, k.Proposal
	}
	r.Hold = m.ex.holds[v.PatientID]
	if r.RetainUntil == nil && r.Proposal == nil && r.Hold == nil {
		return nil
	}
	return &r
}

func (m *memStore) writeRetention(v *Volume, upd VolumeUpdate) {
	if m.ex.kept == nil {
		m.ex.kept = map[int64]*Retention{}
	}
	k := m.ex.kept[v.ID]
	if k == nil {
		k = &Retention{}
		m.ex.kept[v.ID] = k
	}
	upd.RetainUntil.applyToPtr(&k.RetainUntil)
	switch {
	case upd.Propose != nil:
		k.Proposal = upd.Propose
	case upd.Status != nil:
		k.Proposal = nil
	}
}

func (m *memStore) SetHold(ctx context.Context, patientID int64, h *Hold) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ex.holds == nil {
		m.ex.holds = map[int64]*Hold{}
	}
	if h == nil && m.ex.holds[patientID] == nil {
		return Errorf(ENOTFOUND, "no hold")
	}
	if h == nil {
		delete(m.ex.holds, patientID)
		return nil
	}
	m.ex.holds[patientID] = h
	return nil
}

func (m *memStore) FindHold(ctx context.Context, patientID int64) (*Hold, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ex.holds[patientID], nil
}

func (m *memStore) FindSensitiveLocations(ctx context.Context) ([]*Location, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*Location
	for _, l := range m.locations {
		if l.Sensitive {
			out = append(out, l)
		}
	}
	return out, nil
}
