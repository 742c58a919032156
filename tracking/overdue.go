package tracking

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// VolumeAt is a volume as the lists a records manager chases show it:
// the volume, its patient and where it is (or was last recorded), each on
// its own.
type VolumeAt struct {
	Volume   *Volume   `json:"volume"`
	Patient  *Patient  `json:"patient"`
	Location *Location `json:"location"`
}

// Listed is a volume (read with its patient and current location) as a
// list shows it.
func Listed(v *Volume) VolumeAt {
	c := *v
	c.Patient, c.Current, c.Home = nil, nil, nil
	return VolumeAt{Volume: &c, Patient: v.Patient, Location: v.Current}
}

// Overdue is a volume away from the library longer than where it is may
// keep it: where it is, since when (its arrival there; a scan finding it
// already there does not restart the clock), by how long in whole
// seconds, and who booked it there, so a records manager knows whom to
// ask.
type Overdue struct {
	VolumeAt
	Since      Timestamp `json:"since"`
	OverdueBy  int64     `json:"overdue_by"`
	LoanPeriod Period    `json:"loan_period"`
	BookedBy   string    `json:"booked_by"`
}

// AwayCutoff asks for the volumes at a location that arrived there before
// a time.
type AwayCutoff struct {
	LocationID int64
	Before     time.Time
}

// AwayVolume is a volume found at a location since before its cutoff: the
// volume with its patient (its current location is named by CurrentID
// alone: the service has the locations), and who booked it there (empty
// when it was never scanned there, only created).
type AwayVolume struct {
	Volume   *Volume
	BookedBy string
}

// OverdueStore is the part of Store that finds overdue notes.
type OverdueStore interface {
	// FindAway returns, for each cutoff, the volumes at its location
	// whose arrival there is before it and whose status still counts
	// (active, closed or temporary: destroyed, amalgamated, archived and
	// missing volumes are never overdue).
	FindAway(ctx context.Context, cutoffs []AwayCutoff) ([]*AwayVolume, error)
}

// OverdueStatuses are the statuses of volumes that can be overdue.
var OverdueStatuses = []VolumeStatus{StatusActive, StatusClosed, StatusTemporary}

// Overdue lists every volume away longer than its location's loan period
// (see LoanPolicy), longest overdue first, as of now. Each patient listed
// is written to the access log.
func (s *Service) Overdue(ctx context.Context, a Actor) ([]*Overdue, error) {
	locs, err := s.Store.FindLocations(ctx, LocationFilter{})
	if err != nil {
		return nil, err
	}
	now := s.now()
	periods := map[int64]time.Duration{}
	byID := make(map[int64]*Location, len(locs))
	var cutoffs []AwayCutoff
	for _, l := range locs {
		byID[l.ID] = l
		if d, ok := s.Loans.PeriodAt(l); ok {
			periods[l.ID] = d
			cutoffs = append(cutoffs, AwayCutoff{LocationID: l.ID, Before: now.Add(-d)})
		}
	}
	if len(cutoffs) == 0 {
		return nil, nil
	}
	away, err := s.Store.FindAway(ctx, cutoffs)
	if err != nil {
		return nil, err
	}
	for _, a := range away {
		a.Volume.Current = byID[a.Volume.CurrentID]
	}
	out := OverdueList(away, periods, now)
	return out, s.audit(ctx, a, "list_overdue", "", overduePatients(out)...)
}

// OverdueList turns the volumes found away into the overdue list, each
// with its period and how long overdue it is at now, longest first (then
// by location and barcode, so the order is stable).
func OverdueList(away []*AwayVolume, periods map[int64]time.Duration, now time.Time) []*Overdue {
	out := make([]*Overdue, 0, len(away))
	for _, a := range away {
		v := a.Volume
		d := periods[v.CurrentID]
		out = append(out, &Overdue{VolumeAt: Listed(v), Since: v.Since, LoanPeriod: Period(d), BookedBy: a.BookedBy,
			OverdueBy: int64(now.Sub(v.Since.Time.Add(d)) / time.Second)})
	}
	slices.SortFunc(out, func(a, b *Overdue) int {
		return cmp.Or(cmp.Compare(b.OverdueBy, a.OverdueBy), cmp.Compare(a.Location.Code, b.Location.Code),
			cmp.Compare(a.Volume.Barcode, b.Volume.Barcode))
	})
	return out
}

func overduePatients(list []*Overdue) []int64 {
	ids := make([]int64, 0, len(list))
	for _, o := range list {
		ids = append(ids, o.Patient.ID)
	}
	return uniqueIDs(ids)
}

// uniqueIDs is ids without repeats, in first-seen order: a patient with
// three folders on one list is one read of their record.
func uniqueIDs(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := ids[:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
