package tracking

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// PullState is where a pull list line's folder is, as the library acts on
// it: pull it from the shelf, chase it, or nothing to do.
type PullState string

// The states of a pull list line, in the order the list shows them.
const (
	PullInLibrary PullState = "in_library"
	PullElsewhere PullState = "elsewhere"
	PullMissing   PullState = "missing"
	PullNoNotes   PullState = "no_notes"
	PullAtClinic  PullState = "at_clinic"
)

var pullOrder = []PullState{PullInLibrary, PullElsewhere, PullMissing, PullNoNotes, PullAtClinic}

// PullLine is one wanted volume of a clinic's request: what to pull or
// chase for the day.
type PullLine struct {
	Request         int64         `json:"request"`
	Appointment     string        `json:"appointment"`
	Patient         *Patient      `json:"patient"`
	Volume          *Volume       `json:"volume"`
	Clinic          *Location     `json:"clinic"`
	NeededBy        Timestamp     `json:"needed_by"`
	Start           Timestamp     `json:"start"`
	State           PullState     `json:"state"`
	CurrentLocation *Location     `json:"current_location"`
	RequestStatus   RequestStatus `json:"request_status"`
}

// PullList is the day's pull list, in the order the library works it.
type PullList struct {
	Date  Date        `json:"date"`
	Lines []*PullLine `json:"lines"`
}

// PullListFilter chooses the day and, optionally, one clinic, or one
// request of the day (a page refreshing a line).
type PullListFilter struct {
	Date    Date
	Clinic  string
	Request int64
}

// PullList builds a day's pull list; every patient on it is written to the
// access log.
func (s *Service) PullList(ctx context.Context, a Actor, f PullListFilter) (*PullList, error) {
	if f.Date.IsZero() {
		f.Date = DateOf(s.now().In(s.zone()))
	}
	lines, err := s.pullLines(ctx, f.Date, 1, f.Clinic)
	if err != nil {
		return nil, err
	}
	if f.Request != 0 {
		lines = slices.DeleteFunc(lines, func(l *PullLine) bool { return l.Request != f.Request })
	}
	if err := s.maskPullLines(ctx, a, lines); err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(lines))
	for _, l := range lines {
		ids = append(ids, l.Patient.ID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	return &PullList{Date: f.Date, Lines: lines}, s.audit(ctx, a, "view_pull_list", f.Date.String(), ids...)
}

// pullLines builds the sorted lines of days days from the date.
func (s *Service) pullLines(ctx context.Context, d Date, days int, clinic string) ([]*PullLine, error) {
	var clinicID int64
	if strings.TrimSpace(clinic) != "" {
		l, err := s.FindLocation(ctx, clinic)
		if err != nil {
			return nil, notFoundAsInvalid(err, "clinic", "Clinic %q names no location.", clinic)
		}
		clinicID = l.ID
	}
	from := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, s.zone())
	reqs, err := s.Store.FindClinicRequests(ctx, from, from.AddDate(0, 0, days), clinicID)
	if err != nil {
		return nil, err
	}
	locs, err := s.Store.FindLocations(ctx, LocationFilter{})
	if err != nil {
		return nil, err
	}
	lines := BuildPullLines(reqs, libraryTest(locs))
	SortPullLines(lines)
	return lines, nil
}

// libraryTest reports whether a location is a library or inside one, its
// parents walked up from it.
func libraryTest(locs []*Location) func(id int64) bool {
	byID := make(map[int64]*Location, len(locs))
	for _, l := range locs {
		byID[l.ID] = l
	}
	return func(id int64) bool {
		for depth := 0; depth < 32; depth++ {
			l := byID[id]
			if l == nil {
				return false
			}
			if l.Kind == KindLibrary {
				return true
			}
			id = l.ParentID
		}
		return false
	}
}

// BuildPullLines makes a line for each volume each request wants, or one
// no_notes line for a request that wants none.
func BuildPullLines(reqs []*Request, inLibrary func(id int64) bool) []*PullLine {
	var lines []*PullLine
	for _, r := range reqs {
		base := PullLine{Request: r.ID, Appointment: r.Appointment, Clinic: r.Location, NeededBy: r.NeededBy,
			RequestStatus: r.Status, State: PullNoNotes}
		if r.Start != nil {
			base.Start = *r.Start
		}
		st := r.State()
		vols := r.Patient.Volumes
		p := *r.Patient
		p.Volumes = nil
		base.Patient = &p
		n := len(lines)
		for _, v := range vols {
			if !st.Wants(HeldVolume{ID: v.ID, PatientID: v.PatientID, Status: v.Status, CurrentID: v.CurrentID}) {
				continue
			}
			l := base
			vc := *v
			vc.Patient = nil
			l.Volume, l.CurrentLocation = &vc, v.Current
			l.State = pullState(v, r.LocationID, inLibrary)
			lines = append(lines, &l)
		}
		if len(lines) == n {
			lines = append(lines, &base)
		}
	}
	return lines
}

// pullState is the first of missing, at_clinic, in_library, elsewhere that
// holds for the volume.
func pullState(v *Volume, clinicID int64, inLibrary func(id int64) bool) PullState {
	switch {
	case v.Status == StatusMissing:
		return PullMissing
	case v.CurrentID == clinicID:
		return PullAtClinic
	case inLibrary(v.CurrentID):
		return PullInLibrary
	}
	return PullElsewhere
}

// SortPullLines orders a pull list for the library: the folders to pull
// in shelf-walking order (by the location they are on, then the terminal
// digits of the hospital number, then the number), then those to chase by
// where they are, then missing ones, patients with no notes, and folders
// already at the clinic; ties by need.
func SortPullLines(lines []*PullLine) {
	slices.SortStableFunc(lines, func(a, b *PullLine) int {
		c := cmp.Compare(slices.Index(pullOrder, a.State), slices.Index(pullOrder, b.State))
		if c == 0 && (a.State == PullInLibrary || a.State == PullElsewhere) {
			c = cmp.Compare(a.CurrentLocation.Code, b.CurrentLocation.Code)
		}
		if c == 0 && a.State == PullInLibrary {
			c = cmp.Or(cmp.Compare(TerminalDigitKey(a.Patient.HospitalNumber), TerminalDigitKey(b.Patient.HospitalNumber)),
				cmp.Compare(a.Patient.HospitalNumber, b.Patient.HospitalNumber))
		}
		return cmp.Or(c, a.NeededBy.Compare(b.NeededBy.Time), cmp.Compare(a.Request, b.Request), cmp.Compare(volumeNumber(a), volumeNumber(b)))
	})
}

func volumeNumber(l *PullLine) int {
	if l.Volume == nil {
		return 0
	}
	return l.Volume.Number
}

// ClinicSession is one clinic's morning or afternoon on a day, and how ready its
// notes are: a co-ordinator looks days ahead for tomorrow's problems.
type ClinicSession struct {
	Date      Date      `json:"date"`
	Clinic    *Location `json:"clinic"`
	Session   string    `json:"session"`
	Lines     int       `json:"lines"`
	AtClinic  int       `json:"at_clinic"`
	InLibrary int       `json:"in_library"`
	Elsewhere int       `json:"elsewhere"`
	Missing   int       `json:"missing"`
	NoNotes   int       `json:"no_notes"`
}

// Availability counts each clinic session's pull list lines by state for
// days days from the date. It shows no patient.
func (s *Service) Availability(ctx context.Context, from Date, days int, clinic string) ([]*ClinicSession, error) {
	if days < 1 || days > 31 {
		return nil, FieldError("days", "days must be from 1 to 31.")
	}
	lines, err := s.pullLines(ctx, from, days, clinic)
	if err != nil {
		return nil, err
	}
	return CountSessions(lines, s.zone()), nil
}

// CountSessions groups lines by day, clinic and half day (before 13:00 is
// the morning session), in that order.
func CountSessions(lines []*PullLine, zone *time.Location) []*ClinicSession {
	byKey := map[string]*ClinicSession{}
	var out []*ClinicSession
	for _, l := range lines {
		start := l.Start.In(zone)
		half := "AM"
		if start.Hour() >= 13 {
			half = "PM"
		}
		key := start.Format(DateLayout) + "|" + l.Clinic.Code + "|" + half
		s := byKey[key]
		if s == nil {
			s = &ClinicSession{Date: DateOf(start), Clinic: l.Clinic, Session: half}
			byKey[key] = s
			out = append(out, s)
		}
		s.count(l.State)
	}
	slices.SortFunc(out, func(a, b *ClinicSession) int {
		return cmp.Or(a.Date.Compare(b.Date.Time), cmp.Compare(a.Clinic.Code, b.Clinic.Code), cmp.Compare(a.Session, b.Session))
	})
	return out
}

func (s *ClinicSession) count(st PullState) {
	s.Lines++
	switch st {
	case PullAtClinic:
		s.AtClinic++
	case PullInLibrary:
		s.InLibrary++
	case PullElsewhere:
		s.Elsewhere++
	case PullMissing:
		s.Missing++
	case PullNoNotes:
		s.NoNotes++
	}
}
