package tracking

import (
	"context"
	"slices"
	"testing"
	"time"
)

// The request part of memStore: requests kept in memory, each method one
// step under the store's lock, settled by the same rules the databases
// call. Appointments are left to the databases' tests.

type memRequests struct {
	requests []*Request
}

// heldVolumes are a patient's volumes as the request rules see them.
func (m *memStore) heldVolumes(patientID int64) []HeldVolume {
	var out []HeldVolume
	for _, v := range m.volumes {
		if v.PatientID == patientID {
			out = append(out, HeldVolume{ID: v.ID, PatientID: v.PatientID, Status: v.Status, CurrentID: v.CurrentID})
		}
	}
	return out
}

func (m *memStore) insertRequest(r *Request) {
	st := r.State()
	_, complete := st.Settle(m.heldVolumes(r.PatientID), r.CreatedAt.Time)
	r.Items, r.Status, r.FulfilledAt = st.Items, RequestOpen, nil
	if complete {
		r.Status, r.FulfilledAt = RequestFulfilled, &r.CreatedAt
	}
	r.ID = int64(len(m.reqs.requests) + 1)
	c := *r
	m.reqs.requests = append(m.reqs.requests, &c)
}

func (m *memStore) CreateRequest(ctx context.Context, r *Request) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.insertRequest(r)
	return nil
}

// shown is a stored request as the store reads it: with its patient (and
// the patient's volumes) and its location.
func (m *memStore) shown(r *Request) *Request {
	c := *r
	c.Items = slices.Clone(r.Items)
	for _, p := range m.patients {
		if p.ID == r.PatientID {
			pc := *p
			pc.Volumes = nil
			for _, v := range m.volumes {
				if v.PatientID == p.ID {
					pc.Volumes = append(pc.Volumes, m.volume(v))
				}
			}
			c.Patient = &pc
		}
	}
	c.Location = m.locations[r.LocationID-1]
	return &c
}

func (m *memStore) FindRequests(ctx context.Context, f RequestFilter) ([]*Request, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*Request
	for _, r := range m.reqs.requests {
		if (f.Status == "" || r.Status == f.Status) && (f.LocationID == 0 || r.LocationID == f.LocationID) &&
			(f.RequestedBy == "" || r.RequestedBy == f.RequestedBy) && (len(f.PatientIDs) == 0 || slices.Contains(f.PatientIDs, r.PatientID)) {
			out = append(out, m.shown(r))
		}
	}
	SortRequests(out)
	return out, nil
}

func (m *memStore) FindRequest(ctx context.Context, id int64) (*Request, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if id < 1 || int(id) > len(m.reqs.requests) {
		return nil, Errorf(ENOTFOUND, "There is no request %d.", id)
	}
	return m.shown(m.reqs.requests[id-1]), nil
}

func (m *memStore) CancelRequest(ctx context.Context, id int64, by string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if id < 1 || int(id) > len(m.reqs.requests) {
		return Errorf(ENOTFOUND, "There is no request %d.", id)
	}
	r := m.reqs.requests[id-1]
	if r.Status != RequestOpen {
		return Errorf(ECONFLICT, "Request %d is %s already.", id, r.Status)
	}
	ts := TimestampOf(at)
	r.Status, r.CancelledBy, r.CancelledAt = RequestCancelled, by, &ts
	return nil
}

func (m *memStore) WatchRequests(ctx context.Context, since string) (<-chan RequestChange, error) {
	ch := make(chan RequestChange)
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}

// holdRequests gives a stage's decision the open requests of the patients
// whose volumes it holds, as a database reads them under lock.
func (m *memStore) holdRequests(d *Decision) {
	for _, id := range d.VolumeIDs() {
		p := m.volumes[id-1].PatientID
		if slices.ContainsFunc(m.reqs.requests, func(r *Request) bool { return r.PatientID == p && r.Status == RequestOpen }) {
			d.HoldRequested(id, p)
		}
	}
	patients := d.RequestPatients()
	if len(patients) == 0 {
		return
	}
	var reqs []*RequestState
	var vols []HeldVolume
	for _, p := range patients {
		for _, r := range m.reqs.requests {
			if r.PatientID == p && r.Status == RequestOpen {
				reqs = append(reqs, r.State())
			}
		}
		vols = append(vols, m.heldVolumes(p)...)
	}
	d.HoldRequests(reqs, vols)
}

// writeRequests keeps what a stage's scans did to requests.
func (m *memStore) writeRequests(w RequestWrites) {
	for _, a := range w.Arrivals {
		st := m.reqs.requests[a.RequestID-1].State()
		st.arrive(a.VolumeID, a.At)
		m.reqs.requests[a.RequestID-1].Items = st.Items
	}
	for _, f := range w.Fulfilled {
		ts := TimestampOf(f.At)
		r := m.reqs.requests[f.RequestID-1]
		r.Status, r.FulfilledAt = RequestFulfilled, &ts
	}
}

func TestRequestsOverMemStore(t *testing.T) {
	s, m := newTestService()
	ctx := context.Background()
	for _, l := range []*Location{{Code: "LIB", Name: "Library", Kind: KindLibrary}, {Code: "WARD7", Name: "Ward 7", Kind: KindWard},
		{Code: "WARD9", Name: "Ward 9", Kind: KindWard}} {
		if err := s.CreateLocation(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	p := &Patient{HospitalNumber: "H1", FamilyName: "Smith"}
	if err := s.CreatePatient(ctx, clerk, p, "LIB"); err != nil {
		t.Fatal(err)
	}
	r, err := s.CreateRequest(ctx, clerk, RequestInput{Patient: "H1", Location: "WARD9", NeededBy: at(60).Format(time.RFC3339)})
	if err != nil || r.Status != RequestOpen || len(r.Volumes) != 1 {
		t.Fatalf("create: %+v, %v", r, err)
	}
	scan := func(id, to string) ScanResult {
		rec, err := s.RecordScan(ctx, porter, Scan{ScanID: id, Barcode: p.Volumes[0].Barcode, Location: to})
		if err != nil {
			t.Fatal(err)
		}
		return rec.Result
	}
	if res := scan("a", "WARD7"); len(res.Wanted) != 1 || res.Wanted[0].Location.Code != "WARD9" {
		t.Errorf("at WARD7: wanted %+v", res.Wanted)
	}
	if res := scan("b", "WARD9"); !slices.Equal(res.Fulfils, []int64{r.ID}) {
		t.Errorf("at WARD9: fulfils %v", res.Fulfils)
	}
	if got, _ := s.FindRequest(ctx, clerk, r.ID); got.Status != RequestFulfilled || got.Volumes[0].ArrivedAt == nil {
		t.Errorf("after: %+v", got)
	}
	if n := len(m.access); n == 0 {
		t.Error("no access entries")
	}
}
