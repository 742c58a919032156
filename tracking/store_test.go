package tracking

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
)

// memStore is the Store contract kept in memory, so the service's rules
// can be tested without a database: the parts the tests use, each method
// one step under one lock. Store methods no test needs are left to the
// embedded nil interface, and panic.
type memStore struct {
	Store
	mu        sync.Mutex
	stage     int // how many scans RecordScans takes at a time
	locations []*Location
	patients  []*Patient
	volumes   []*Volume
	moves     []Step // all volumes' movements, in arrival order (To, At)
	moveVol   []int64
	scans     map[string][]byte
	kept      []*StoredScan
	devices   map[string]*Location
	users     []*User
	tokens    []*Token
	sessions  map[string]*Session
	failures  []SignInAttempt
	access    []Access
	reads     map[string]int // how many times each kind of thing was read
	reqs      memRequests
	ex        memExceptions // status histories, temporary folders, sweeps
	merges    []*memMerge
	feed      []*FeedMessage
	// locationGeneration moves with every location written.
	locationGeneration int64
}

func newMemStore() *memStore {
	return &memStore{stage: 3, scans: map[string][]byte{}, devices: map[string]*Location{},
		sessions: map[string]*Session{}, reads: map[string]int{}}
}

// testParse stands in for package scanner: generated barcodes by their
// shape (a bad check character is a misread), ten digits as an NHS number.
func testParse(raw string) (Code, error) {
	s := strings.ToUpper(strings.TrimSpace(raw))
	kind, _, ok, err := ParseBarcode(s)
	switch {
	case err != nil:
		return Code{}, err
	case ok:
		return Code{Kind: kind, Value: s}, nil
	case ValidNHSNumber(s):
		return Code{Kind: CodeNHSNumber, Value: s}, nil
	}
	return Code{Kind: CodeOther, Value: strings.TrimSpace(raw)}, nil
}

// Who the tests act as.
var (
	porter = Actor{Name: "pat", Role: RolePorter}
	clerk  = Actor{Name: "cal", Role: RoleClerk}
)

// newTestService is a service over a fresh memStore at a fixed time.
func newTestService() (*Service, *memStore) {
	m := newMemStore()
	s := NewService(m, testParse)
	s.Now = func() time.Time { return at(0) }
	return s, m
}

func (m *memStore) Ping(ctx context.Context) error { return nil }

func (m *memStore) CreateLocation(ctx context.Context, l *Location) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	l.ID = int64(len(m.locations) + 1)
	l.Barcode = LocationBarcode(l.ID)
	m.locations = append(m.locations, l)
	m.locationGeneration++
	return nil
}

func (m *memStore) findLocation(match func(*Location) bool) (*Location, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads["location"]++
	for _, l := range m.locations {
		if match(l) {
			return l, nil
		}
	}
	return nil, Errorf(ENOTFOUND, "No such location.")
}

func (m *memStore) FindLocationByID(ctx context.Context, id int64) (*Location, error) {
	return m.findLocation(func(l *Location) bool { return l.ID == id })
}

func (m *memStore) FindLocationByCode(ctx context.Context, code string) (*Location, error) {
	return m.findLocation(func(l *Location) bool { return l.Code == code })
}

func (m *memStore) FindLocationByBarcode(ctx context.Context, bc string) (*Location, error) {
	return m.findLocation(func(l *Location) bool {
		return l.Barcode == strings.ToUpper(bc) || l.LegacyBarcode != "" && l.LegacyBarcode == bc || l.GLN != "" && l.GLN == bc
	})
}

func (m *memStore) FindLocations(ctx context.Context, f LocationFilter) ([]*Location, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*Location
	for _, l := range m.locations {
		if (f.Kind == "" || l.Kind == f.Kind) && (f.Limit == 0 || len(out) < f.Limit) {
			out = append(out, l)
		}
	}
	return out, nil
}

func (m *memStore) CreatePatient(ctx context.Context, p *Patient, first *Volume) error {
	m.mu.Lock()
	p.ID = int64(len(m.patients) + 1)
	m.patients = append(m.patients, p)
	m.mu.Unlock()
	first.PatientID = p.ID
	return m.CreateVolume(ctx, first)
}

func (m *memStore) FindPatients(ctx context.Context, f PatientFilter) ([]*Patient, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*Patient
	for _, p := range m.patients {
		if f.NHSNumber != "" && p.NHSNumber == f.NHSNumber || f.HospitalNumber != "" && p.HospitalNumber == f.HospitalNumber {
			if p.MergedIntoID != 0 {
				p = m.patients[p.MergedIntoID-1]
			}
			c := *p
			c.Volumes = nil
			for _, v := range m.volumes {
				if v.PatientID == p.ID {
					c.Volumes = append(c.Volumes, m.volume(v))
				}
			}
			out = append(out, &c)
		}
	}
	return out, nil
}

func (m *memStore) FindPatientsNamed(ctx context.Context, family, given string, limit int) ([]*Patient, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*Patient
	for _, p := range m.patients {
		if strings.EqualFold(p.FamilyName, family) && strings.EqualFold(p.GivenName, given) && len(out) < limit {
			c := *p
			out = append(out, &c)
		}
	}
	return out, nil
}

func (m *memStore) CountPatients(ctx context.Context, f PatientFilter) (int, error) {
	ps, err := m.FindPatients(ctx, f)
	return len(ps), err
}

func (m *memStore) FindPatientByHospitalNumber(ctx context.Context, hn string) (*Patient, error) {
	ps, _ := m.FindPatients(ctx, PatientFilter{HospitalNumber: hn})
	if len(ps) == 0 {
		return nil, Errorf(ENOTFOUND, "No patient has the hospital number %q.", hn)
	}
	return ps[0], nil
}

func (m *memStore) CreateVolume(ctx context.Context, v *Volume) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	v.ID = int64(len(m.volumes) + 1)
	for _, o := range m.volumes {
		if o.PatientID == v.PatientID {
			v.Number = max(v.Number, o.Number+1)
		}
	}
	v.Number = max(v.Number, 1)
	v.Barcode = VolumeBarcode(v.ID)
	stored := *v
	m.volumes = append(m.volumes, &stored)
	return nil
}

// volume is a copy of a stored volume as the store reads it: with its
// patient, locations and count.
func (m *memStore) volume(v *Volume) *Volume {
	c := *v
	for _, p := range m.patients {
		if p.ID == v.PatientID {
			pc := *p
			pc.Volumes = nil
			c.Patient = &pc
		}
	}
	for _, l := range m.locations {
		if l.ID == v.HomeID {
			c.Home = l
		}
		if l.ID == v.CurrentID {
			c.Current = l
		}
	}
	c.Count = 0
	for _, o := range m.volumes {
		if o.PatientID == v.PatientID {
			c.Count++
		}
	}
	return &c
}

func (m *memStore) FindVolumeByBarcode(ctx context.Context, bc string) (*Volume, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads["volume"]++
	for _, v := range m.volumes {
		if v.Barcode == strings.ToUpper(bc) || v.LegacyCode != "" && v.LegacyCode == bc {
			return m.volume(v), nil
		}
	}
	return nil, Errorf(ENOTFOUND, "No volume has the barcode %q.", bc)
}

func (m *memStore) FindVolumesByBarcodes(ctx context.Context, values []string) ([]*Volume, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads["volumes"]++
	var out []*Volume
	for _, v := range m.volumes {
		if slices.ContainsFunc(values, func(s string) bool { return strings.ToUpper(s) == v.Barcode || s == v.LegacyCode }) {
			out = append(out, m.volume(v))
		}
	}
	return out, nil
}

func (m *memStore) FindVolumesOfPatient(ctx context.Context, patientID int64) ([]*Volume, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*Volume
	for _, v := range m.volumes {
		if v.PatientID == patientID {
			out = append(out, m.volume(v))
		}
	}
	return out, nil
}

func (m *memStore) SameNamePatients(ctx context.Context, ids []int64) (map[int64]bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[int64]bool{}
	for _, p := range m.patients {
		for _, q := range m.patients {
			if p.ID != q.ID && slices.Contains(ids, p.ID) && strings.EqualFold(p.FamilyName, q.FamilyName) &&
				strings.EqualFold(p.GivenName, q.GivenName) {
				out[p.ID] = true
			}
		}
	}
	return out, nil
}

func (m *memStore) LogAccess(ctx context.Context, entries []Access) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.access = append(m.access, entries...)
	return nil
}

func (m *memStore) FindScanResponses(ctx context.Context, ids []string) (map[string][]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string][]byte{}
	for _, id := range ids {
		if r, ok := m.scans[id]; ok {
			out[id] = r
		}
	}
	return out, nil
}

func (m *memStore) FindDeviceContext(ctx context.Context, device string) (*DeviceContext, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads["device"]++
	l := m.devices[device]
	if l == nil {
		return nil, Errorf(ENOTFOUND, "Device %q has not scanned a location yet.", device)
	}
	return &DeviceContext{Device: device, Location: l}, nil
}

func (m *memStore) FindScans(ctx context.Context, f ScanFilter) ([]*StoredScan, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*StoredScan
	for i := len(m.kept) - 1; i >= 0 && len(out) < f.Limit; i-- {
		if sc := m.kept[i]; (f.Result == "" || sc.Result == f.Result) && (f.Device == "" || sc.Device == f.Device) &&
			(!f.Unchecked || sc.CheckedAt == nil) && (f.ScanID == "" || sc.ScanID == f.ScanID) {
			c := *sc
			out = append(out, &c)
		}
	}
	return out, nil
}

func (m *memStore) MarkScanChecked(ctx context.Context, scanID, by string, t time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, sc := range m.kept {
		if sc.ScanID == scanID {
			at := TimestampOf(t)
			sc.CheckedBy, sc.CheckedAt = by, &at
		}
	}
	return nil
}

// RecordScans takes the source a few scans at a time and writes each stage
// as one step: the scans a stage claims, their movements, the volumes'
// states, their reads and device contexts.
func (m *memStore) RecordScans(ctx context.Context, src ScanSource) error {
	for done := 0; done < src.Len(); done += m.stage {
		recs, err := src.Next(ctx, m.stage)
		if err != nil {
			return err
		}
		if err := m.recordStage(recs); err != nil {
			return err
		}
	}
	return nil
}

func (m *memStore) recordStage(recs []*ScanRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range recs {
		if resp, ok := m.scans[r.Scan.ScanID]; ok {
			r.Response, r.Repeat = resp, true
		}
	}
	d := NewDecision(recs)
	for _, id := range d.VolumeIDs() {
		d.Hold(id, StateOf(m.volumes[id-1]))
		d.HoldStatus(id, m.volumes[id-1].Status)
	}
	m.holdRequests(d)
	if err := d.Decide(m); err != nil {
		return err
	}
	m.writeRequests(d.RequestWrites())
	for _, r := range d.Claimed() {
		m.claim(r)
	}
	for _, c := range d.Changed() {
		v := m.volumes[c.ID-1]
		last := c.State.LastScanAt
		v.CurrentID, v.Since, v.LastScanAt = c.State.CurrentID, TimestampOf(c.State.Since), &last
	}
	return nil
}

func (m *memStore) claim(r *ScanRecord) {
	m.scans[r.Scan.ScanID] = r.Response
	m.kept = append(m.kept, &StoredScan{ScanID: r.Scan.ScanID, Barcode: r.Raw, Result: r.Result.Result,
		Device: r.Scan.Device, ReceivedAt: r.ReceivedAt})
	if r.Effects.Move {
		m.moves = append(m.moves, Step{At: r.Scan.ScannedAt.Time, To: r.Target.ID, Seq: int64(len(m.moves) + 1)})
		m.moveVol = append(m.moveVol, r.Volume.ID)
	}
	if p := r.Effects.ReadPatientID; p != 0 {
		m.access = append(m.access, Access{At: r.ReceivedAt.Time, Actor: r.Scan.By, ActorKind: r.Scan.ActorKind,
			Role: r.Scan.Role, Action: "scan", PatientID: p, Detail: r.Scan.ScanID})
	}
	if r.Effects.Context != nil {
		m.devices[r.Scan.Device] = r.Effects.Context
	}
	m.claimExceptions(r)
}

// The store's History, read under its lock while a stage is decided.

func (m *memStore) steps(volumeID int64) []Step {
	var out []Step
	for i, s := range m.moves {
		if m.moveVol[i] == volumeID {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, newestFirst)
	return out
}

func (m *memStore) LatestStep(volumeID int64, t time.Time) (Step, bool, error) {
	for _, s := range m.steps(volumeID) {
		if !s.At.After(t) {
			return s, true, nil
		}
	}
	return Step{}, false, nil
}

func (m *memStore) StepsBefore(volumeID int64, after Step) ([]Step, bool, error) {
	steps := m.steps(volumeID)
	if after.Seq != 0 {
		steps = steps[slices.IndexFunc(steps, func(s Step) bool { return s.Seq == after.Seq })+1:]
	}
	return steps, false, nil
}

func (m *memStore) Location(id int64) (*Location, error) { return m.locations[id-1], nil }

// nameTaken is the one namespace of user and token names, ignoring case.
func (m *memStore) nameTaken(name string) error {
	for _, o := range m.users {
		if NameKey(o.Name) == NameKey(name) {
			return Errorf(ECONFLICT, "The name %s is taken.", name)
		}
	}
	for _, o := range m.tokens {
		if NameKey(o.Name) == NameKey(name) {
			return Errorf(ECONFLICT, "The name %s is taken.", name)
		}
	}
	return nil
}

func (m *memStore) CreateUser(ctx context.Context, u *User) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.nameTaken(u.Name); err != nil {
		return err
	}
	u.ID = int64(len(m.users) + 1)
	m.users = append(m.users, u)
	return nil
}

func (m *memStore) FindUserByName(ctx context.Context, name string) (*User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, u := range m.users {
		if u.Name == name && !u.Disabled {
			return u, nil
		}
	}
	return nil, Errorf(ENOTFOUND, "No such user.")
}

func (m *memStore) UpdateUser(ctx context.Context, name string, upd UserUpdate) (*User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, u := range m.users {
		if u.Name != name {
			continue
		}
		if upd.Role != nil {
			u.Role = *upd.Role
		}
		if upd.Disabled != nil {
			u.Disabled = *upd.Disabled
		}
		if upd.PasswordHash != nil {
			u.PasswordHash = *upd.PasswordHash
		}
		if upd.ClearSignInFailures {
			m.failures = slices.DeleteFunc(m.failures, func(f SignInAttempt) bool { return f.NameKey == NameKey(name) })
		}
		return u, nil
	}
	return nil, Errorf(ENOTFOUND, "There is no user named %s.", name)
}

func (m *memStore) CreateToken(ctx context.Context, t *Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.nameTaken(t.Name); err != nil {
		return err
	}
	t.ID = int64(len(m.tokens) + 1)
	m.tokens = append(m.tokens, t)
	return nil
}

func (m *memStore) FindTokenByHash(ctx context.Context, hash string) (*Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads["token"]++
	for _, t := range m.tokens {
		if t.Hash == hash && t.RevokedAt == nil {
			return t, nil
		}
	}
	return nil, Errorf(EUNAUTHORIZED, "The token is not valid.")
}

func (m *memStore) RevokeToken(ctx context.Context, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, t := range m.tokens {
		if t.Name == name {
			now := at(0)
			t.RevokedAt = &now
			return nil
		}
	}
	return Errorf(ENOTFOUND, "There is no token named %s.", name)
}

func (m *memStore) CreateSession(ctx context.Context, s *Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := *s
	m.sessions[s.Hash] = &c
	return nil
}

func (m *memStore) FindSession(ctx context.Context, hash string) (*Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.sessions[hash]
	if s == nil {
		return nil, Errorf(ENOTFOUND, "No such session.")
	}
	c := *s
	return &c, nil
}

func (m *memStore) TouchSession(ctx context.Context, hash string, t time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := m.sessions[hash]; s != nil {
		s.LastSeen = t
	}
	return nil
}

func (m *memStore) DeleteSession(ctx context.Context, hash string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, hash)
	return nil
}

func (m *memStore) DeleteSessionsBefore(ctx context.Context, before time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for h, s := range m.sessions {
		if s.LastSeen.Before(before) {
			delete(m.sessions, h)
		}
	}
	return nil
}

func (m *memStore) ClaimSignIn(ctx context.Context, a SignInAttempt, l SignInLimits) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	pair, addr := 0, 0
	for _, f := range m.failures {
		if f.Addr == a.Addr && !f.At.Before(l.Since) {
			addr++
			if f.NameKey == a.NameKey {
				pair++
			}
		}
	}
	if pair >= l.PerNameAddr || addr >= l.PerAddr {
		return Errorf(ETOOMANY, "Too many failed sign-ins.")
	}
	m.failures = append(m.failures, a)
	return nil
}

func (m *memStore) ForgiveSignIn(ctx context.Context, a SignInAttempt, before time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failures = slices.DeleteFunc(m.failures, func(f SignInAttempt) bool {
		return f.NameKey == a.NameKey && f.Addr == a.Addr || f.At.Before(before)
	})
	return nil
}

func (m *memStore) ClearSignInFailures(ctx context.Context, nameKey string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failures = slices.DeleteFunc(m.failures, func(f SignInAttempt) bool { return f.NameKey == nameKey })
	return nil
}

func (m *memStore) FindSignInLocks(ctx context.Context, since time.Time, limit int) (map[string]int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	counts := map[[2]string]int{}
	for _, f := range m.failures {
		if !f.At.Before(since) {
			counts[[2]string{f.NameKey, f.Addr}]++
		}
	}
	out := map[string]int{}
	for k, n := range counts {
		if n >= limit {
			out[k[0]]++
		}
	}
	return out, nil
}

func (m *memStore) FindDeviceTokenNames(ctx context.Context) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads["device tokens"]++
	var out []string
	for _, t := range m.tokens {
		if t.Role == RoleDevice && t.RevokedAt == nil {
			out = append(out, t.Name)
		}
	}
	return out, nil
}

func (m *memStore) FindAccessLog(ctx context.Context, f AccessFilter) ([]AccessEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []AccessEntry
	for i := len(m.access) - 1; i >= 0; i-- {
		e := AccessEntry{Access: m.access[i], ID: int64(i + 1)}
		if !accessMatches(e, f) {
			continue
		}
		for _, p := range m.patients {
			if p.ID == e.PatientID && e.PatientID != 0 {
				e.Patient = p
			}
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b AccessEntry) int { return b.At.Compare(a.At) })
	return out[:min(len(out), f.Limit)], nil
}

func accessMatches(e AccessEntry, f AccessFilter) bool {
	switch {
	case f.PatientID != 0 && e.PatientID != f.PatientID, f.Actor != "" && e.Actor != f.Actor,
		!f.From.IsZero() && e.At.Before(f.From), !f.To.IsZero() && e.At.After(f.To):
		return false
	case f.After != nil:
		return e.At.Before(f.After.At) || e.At.Equal(f.After.At) && e.ID < f.After.ID
	}
	return true
}
