package tracking

import (
	"context"
	"slices"
)

// SweepTarget is an open sweep as its scans are resolved: its id, the
// location swept, and the locations inside it (a bay's shelves), where a
// folder counts as seen and stays.
type SweepTarget struct {
	ID       SweepID
	Location *Location
	Inside   []int64 // ascending
}

// inside reports whether a location is inside the swept one.
func (t *SweepTarget) inside(id int64) bool {
	_, ok := slices.BinarySearch(t.Inside, id)
	return ok
}

// Sighting is what a sweep's scan saw: a folder seen at the location,
// and where it was recorded when the scan corrected that (0 otherwise).
// Seq is the scan's place among the sweep scans of its request, which
// keeps a batch's scans in the order a porter made them when they carry
// one time.
type Sighting struct {
	Seen  bool
	WasAt int64
	Seq   int
}

// resolveSweep gives a scan made for a sweep the sweep's location as its
// target, whatever its device was booking to. The sweep must exist and be
// open, and a location sent with the scan must be the sweep's own.
func (s *Service) resolveSweep(ctx context.Context, rec *ScanRecord, lk *scanLookups) error {
	if rec.Scan.Sweep == 0 {
		return nil
	}
	tg, err := lk.sweep(ctx, rec.Scan.Sweep)
	if err != nil {
		return err
	}
	if sc := rec.Scan.Location; sc != "" {
		l, err := s.FindLocation(ctx, sc)
		if err != nil {
			return notFoundAsInvalid(err, "location", "Location %q names no location.", sc)
		}
		if l.ID != tg.Location.ID {
			return FieldError("location", "This scan is for sweep %d of %s; it cannot be booked to %s.", tg.ID, tg.Location.Code, l.Code)
		}
	}
	rec.Scan.Location = tg.Location.Code
	rec.Effects.Sweep = tg
	lk.sweepSeq++
	rec.Effects.Sighting.Seq = lk.sweepSeq
	return nil
}

// sweep reads an open sweep and the locations inside it, once a request.
func (lk *scanLookups) sweep(ctx context.Context, id SweepID) (*SweepTarget, error) {
	if tg, ok := lk.sweeps[id]; ok {
		return tg, nil
	}
	sw, err := lk.store.FindSweep(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		return nil, FieldError("sweep", "There is no sweep %d.", id)
	}
	if err != nil {
		return nil, err
	}
	if sw.Status != SweepOpen {
		return nil, FieldError("sweep", "Sweep %d of %s is finished: start a new sweep to scan for one.", id, sw.Location.Code)
	}
	inside, err := lk.store.FindLocationsInside(ctx, sw.Location.ID)
	if err != nil {
		return nil, err
	}
	slices.Sort(inside)
	tg := &SweepTarget{ID: id, Location: sw.Location, Inside: inside}
	if lk.sweeps == nil {
		lk.sweeps = map[SweepID]*SweepTarget{}
	}
	lk.sweeps[id] = tg
	return tg, nil
}

// keepInsideSweep leaves a folder a sweep finds on a location inside the
// swept one where it is: the scan books it there (already here), so it
// counts as seen without losing its shelf.
func (t *volumeTrack) keepInsideSweep(r *ScanRecord, h History) error {
	sw := r.Effects.Sweep
	cur := t.state.CurrentID
	if sw == nil || cur == r.Target.ID || !sw.inside(cur) || !Supersedes(r.Scan.ScannedAt.Time, t.state.LastScanAt) {
		return nil
	}
	l, err := locationFor(cur, r, h)
	if err != nil {
		return err
	}
	r.Target, r.Result.Location = l, l
	return nil
}

// noteSighting records what a sweep's scan saw once it is decided: a
// folder it booked (moved here: corrected, from where it was recorded;
// already here: seen). A late scan, or one refused, saw nothing the sweep
// counts.
func noteSighting(r *ScanRecord) {
	if r.Effects.Sweep == nil {
		return
	}
	switch r.Result.Result {
	case ResultMoved:
		r.Effects.Sighting.Seen, r.Effects.Sighting.WasAt = true, r.Result.PreviousLocation.ID
	case ResultAlreadyHere:
		r.Effects.Sighting.Seen = true
	}
}
