package tracking

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// SweepID names a sweep. It travels as a JSON number, and is read from a
// number or a string of digits, so a client that keeps ids as text may
// send it back as it has it.
type SweepID int64

// ParseSweepID reads a sweep id written in a path or a form.
func ParseSweepID(s string) (SweepID, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return 0, FieldError("sweep", "%q is not a sweep id: sweep ids are whole numbers.", s)
	}
	return SweepID(n), nil
}

// UnmarshalJSON reads a sweep id given as a number or as a string.
func (id *SweepID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*id = 0
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return FieldError("sweep", "sweep must be a sweep id.")
		}
		b = []byte(s)
	}
	v, err := ParseSweepID(string(b))
	*id = v
	return err
}

// The states of a sweep.
const (
	SweepOpen     = "open"
	SweepFinished = "finished"
)

// Sweep is a stocktake of what is physically at a location (a library
// bay, a ward, a clinic, an office): started, scanned, finished.
type Sweep struct {
	ID         SweepID     `json:"id"`
	Location   *Location   `json:"location"`
	Status     string      `json:"status"`
	StartedAt  Timestamp   `json:"started_at"`
	StartedBy  string      `json:"started_by"`
	FinishedAt *Timestamp  `json:"finished_at,omitempty"`
	FinishedBy string      `json:"finished_by,omitempty"`
	Counts     SweepCounts `json:"counts"`
}

// SweepCounts say how far a sweep has got: distinct volumes seen, of
// them corrected (booked here from elsewhere), and barcodes that named
// nothing; once finished, also the volumes not seen.
type SweepCounts struct {
	Seen      int `json:"seen"`
	Corrected int `json:"corrected"`
	Unknown   int `json:"unknown"`
	NotSeen   int `json:"not_seen"`
}

// SweepFilter narrows FindSweeps: by state ("" for all), newest first.
type SweepFilter struct {
	Status string
	Limit  int
}

// SweepStore is the part of Store that keeps sweeps.
type SweepStore interface {
	CreateSweep(ctx context.Context, sw *Sweep) error
	// FindSweep returns a sweep with its location, without counts.
	FindSweep(ctx context.Context, id SweepID) (*Sweep, error)
	// CountSweep counts what an open sweep's scans have seen so far (a
	// finished sweep's counts come with its results).
	CountSweep(ctx context.Context, id SweepID) (SweepCounts, error)
	// FindSweeps lists sweeps, newest first, without counts.
	FindSweeps(ctx context.Context, f SweepFilter) ([]*Sweep, error)
	// FinishSweep closes an open sweep (ECONFLICT when it is finished
	// already) and keeps its outcome per volume, as ReconcileSweep
	// decides it from the sweep's scans and the volumes recorded inside
	// its location, in one transaction that waits for scans of the sweep
	// in flight.
	FinishSweep(ctx context.Context, id SweepID, at time.Time, by string) error
	// FindSweepResults returns a finished sweep's kept outcome.
	FindSweepResults(ctx context.Context, id SweepID) (*SweepResults, error)
}

// maxSweepList bounds a list of sweeps.
const maxSweepList = 200

// StartSweep starts a sweep of the location (a code or barcode).
func (s *Service) StartSweep(ctx context.Context, a Actor, location string) (*Sweep, error) {
	if strings.TrimSpace(location) == "" {
		return nil, FieldError("location", "Say which location to sweep.")
	}
	l, err := s.FindLocation(ctx, location)
	if err != nil {
		return nil, notFoundAsInvalid(err, "location", "Location %q names no location.", location)
	}
	sw := &Sweep{Location: l, Status: SweepOpen, StartedAt: TimestampOf(s.now()), StartedBy: a.Name}
	if err := s.Store.CreateSweep(ctx, sw); err != nil {
		return nil, err
	}
	return sw, nil
}

// FindSweep returns a sweep and how far it has got.
func (s *Service) FindSweep(ctx context.Context, id SweepID) (*Sweep, error) {
	sw, err := s.Store.FindSweep(ctx, id)
	if err != nil {
		return nil, err
	}
	sw.Counts, err = s.Store.CountSweep(ctx, id)
	return sw, err
}

// CountSweep says how far an open sweep has got.
func (s *Service) CountSweep(ctx context.Context, id SweepID) (SweepCounts, error) {
	return s.Store.CountSweep(ctx, id)
}

// FindSweeps lists sweeps newest first, open or finished or both.
func (s *Service) FindSweeps(ctx context.Context, f SweepFilter) ([]*Sweep, error) {
	switch f.Status {
	case "", SweepOpen, SweepFinished:
	default:
		return nil, FieldError("status", "status must be open or finished.")
	}
	if f.Limit <= 0 || f.Limit > maxSweepList {
		f.Limit = maxSweepList
	}
	return s.Store.FindSweeps(ctx, f)
}

// FinishSweep finishes a sweep and returns its report: folders seen
// there (those recorded elsewhere now booked here), those recorded there
// that nobody saw, barcodes that named nothing and probable misfiles.
func (s *Service) FinishSweep(ctx context.Context, a Actor, id SweepID) (*SweepReport, error) {
	if err := s.Store.FinishSweep(ctx, id, s.now(), a.Name); err != nil {
		return nil, err
	}
	return s.SweepReport(ctx, a, id)
}

// SweepReport reads a finished sweep's report. Every patient in it is
// written to the access log.
func (s *Service) SweepReport(ctx context.Context, a Actor, id SweepID) (*SweepReport, error) {
	res, err := s.Store.FindSweepResults(ctx, id)
	if err != nil {
		return nil, err
	}
	if res.Sweep.Status != SweepFinished {
		return nil, Errorf(ECONFLICT, "Sweep %d is still open: finish it to see its report.", id)
	}
	rep := BuildSweepReport(res)
	return rep, s.audit(ctx, a, "sweep_report", strconv.FormatInt(int64(id), 10), rep.patientIDs()...)
}
