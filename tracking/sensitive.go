package tracking

import (
	"context"
	"sync"
	"time"
)

// Sensitive locations (SAFETY.md H08). A location may reveal a sensitive
// service: that a patient's notes are at a sexual health clinic says
// something about the patient. Beside a patient, such a location is
// shown only to those who fetch and file notes (library, records,
// admin); a clerk, a porter's look-up or a device sees that the notes
// are at a restricted location, and whom to ask.

// RestrictedName is what is shown in place of a sensitive location's name.
const RestrictedName = "Restricted location (ask the records library)"

// SeesSensitive reports whether the role is shown sensitive locations
// beside patients.
func SeesSensitive(r Role) bool { return r.Can(PermManage) }

// MaskLocation is the location as someone of the role may see it beside
// a patient: itself, or for a sensitive one and a role that may not see
// it, a location with no code, kind or barcode, named RestrictedName.
func MaskLocation(l *Location, sensitive bool, r Role) *Location {
	if l == nil || !sensitive || SeesSensitive(r) {
		return l
	}
	return &Location{Name: RestrictedName, Sensitive: true}
}

// SensitiveStore reads which locations are sensitive.
type SensitiveStore interface {
	// FindSensitiveLocations lists the sensitive locations (id and code
	// are enough).
	FindSensitiveLocations(ctx context.Context) ([]*Location, error)
}

// sensitiveTTL is how long an instance trusts the set it read: a
// location marked sensitive on another instance is masked here within it.
const sensitiveTTL = 30 * time.Second

// sensitiveSet is the sensitive locations by id and by code, as last read.
type sensitiveSet struct {
	mu      sync.Mutex
	byID    map[int64]bool
	byCode  map[string]bool
	expires time.Time
}

func (c *sensitiveSet) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expires = time.Time{}
}

// sensitive returns the sets of sensitive location ids and codes.
func (s *Service) sensitive(ctx context.Context) (map[int64]bool, map[string]bool, error) {
	c := &s.sensitiveLocs
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if now.Before(c.expires) {
		return c.byID, c.byCode, nil
	}
	ls, err := s.Store.FindSensitiveLocations(ctx)
	if err != nil {
		return nil, nil, err
	}
	c.byID, c.byCode = map[int64]bool{}, map[string]bool{}
	for _, l := range ls {
		c.byID[l.ID], c.byCode[l.Code] = true, true
	}
	c.expires = now.Add(sensitiveTTL)
	return c.byID, c.byCode, nil
}

// maskVolumes hides sensitive locations in volumes shown to the actor.
// The volumes' locations may be shared, so they are replaced, never
// changed.
func (s *Service) maskVolumes(ctx context.Context, a Actor, vols []*Volume) error {
	if SeesSensitive(a.Role) || len(vols) == 0 {
		return nil
	}
	byID, _, err := s.sensitive(ctx)
	if err != nil || len(byID) == 0 {
		return err
	}
	for _, v := range vols {
		maskVolume(v, byID, a.Role)
	}
	return nil
}

// maskVolume hides the volume's sensitive places (by id in byID).
func maskVolume(v *Volume, byID map[int64]bool, r Role) {
	v.Current = MaskLocation(v.Current, byID[v.CurrentID], r)
	v.Home = MaskLocation(v.Home, byID[v.HomeID], r)
}

// maskMovements hides sensitive locations in a volume's history.
func (s *Service) maskMovements(ctx context.Context, a Actor, ms []*Movement) error {
	if SeesSensitive(a.Role) || len(ms) == 0 {
		return nil
	}
	_, byCode, err := s.sensitive(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if byCode[m.From] {
			m.From = RestrictedName
		}
		if byCode[m.To] {
			m.To = RestrictedName
		}
	}
	return nil
}

// checkSensitiveContents refuses to list what is at a sensitive location
// to a role that may not see it beside a patient: the list would be of
// the service's patients.
func checkSensitiveContents(l *Location, r Role) error {
	if l.Sensitive && !SeesSensitive(r) {
		return Errorf(EFORBIDDEN, "What is at %s is shown only to the records library: the location is restricted.", l.Code)
	}
	return nil
}

// maskPullLines hides a sensitive place where a pull list's notes are now
// (the clinic a list is for is its reader's own business).
func (s *Service) maskPullLines(ctx context.Context, a Actor, lines []*PullLine) error {
	if SeesSensitive(a.Role) || len(lines) == 0 {
		return nil
	}
	byID, _, err := s.sensitive(ctx)
	if err != nil || len(byID) == 0 {
		return err
	}
	for _, l := range lines {
		if v := l.Volume; v != nil {
			l.CurrentLocation = MaskLocation(l.CurrentLocation, byID[v.CurrentID], a.Role)
			maskVolume(v, byID, a.Role)
		}
	}
	return nil
}

// maskRequests hides sensitive places where requested notes are now.
func (s *Service) maskRequests(ctx context.Context, a Actor, rs ...*Request) error {
	var vols []*Volume
	for _, r := range rs {
		for _, v := range r.Volumes {
			if v.Volume != nil {
				vols = append(vols, v.Volume)
			}
		}
	}
	return s.maskVolumes(ctx, a, vols)
}
