package tracking

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// DefaultMissingEscalation is how long a volume may be missing before its
// search is escalated to the records manager (SAFETY H13): a working week,
// as GP records are reported after five working days.
const DefaultMissingEscalation = 7 * day

// MissingVolume is a volume recorded as missing: where it was last
// recorded, who marked it missing, when, and what their search note said,
// how long it has been missing (whole seconds), whether its search is due
// for escalation, and the temporary folder standing in for it, if any.
type MissingVolume struct {
	VolumeAt
	Since      Timestamp `json:"since"`
	MissingFor int64     `json:"missing_for"`
	By         string    `json:"by"`
	Note       string    `json:"note"`
	Escalate   bool      `json:"escalate"`
	Temporary  string    `json:"temporary,omitempty"`
}

// TemporaryVolume is a temporary folder still in use: what it stands in
// for, when it is due to be amalgamated, and whether that day has passed.
type TemporaryVolume struct {
	VolumeAt
	Original string `json:"original,omitempty"`
	Due      Date   `json:"due"`
	PastDue  bool   `json:"past_due"`
}

// FoundVolume is a missing volume a scan found: when, by whom, where (its
// Location), and who had marked it missing.
type FoundVolume struct {
	VolumeAt
	At              Timestamp `json:"at"`
	By              string    `json:"by"`
	MarkedMissingBy string    `json:"marked_missing_by"`
}

// ExceptionStore is the part of Store that lists the volumes a records
// manager chases: missing, temporary and lately found.
type ExceptionStore interface {
	// FindMissing lists the volumes whose status is missing, each with
	// the status entry that marked it so (Since zero when none did).
	FindMissing(ctx context.Context) ([]*MissingVolume, error)
	// FindTemporaries lists the volumes whose status is temporary.
	FindTemporaries(ctx context.Context) ([]*TemporaryVolume, error)
	// FindFound lists the volumes scans found since the time, newest
	// first; only those marked missing by markedBy when it is not "".
	FindFound(ctx context.Context, since time.Time, markedBy string) ([]*FoundVolume, error)
}

// FoundWindow is how long a found volume is shown to whoever marked it
// missing.
const FoundWindow = 7 * day

// Missing lists the missing volumes, longest missing first, those past
// the escalation time marked for escalation. Each patient listed is
// written to the access log.
func (s *Service) Missing(ctx context.Context, a Actor) ([]*MissingVolume, error) {
	list, err := s.Store.FindMissing(ctx)
	if err != nil {
		return nil, err
	}
	MarkEscalations(list, s.now(), s.MissingEscalation)
	ids := make([]int64, len(list))
	for i, m := range list {
		ids[i] = m.Patient.ID
	}
	return list, s.audit(ctx, a, "list_missing", "", uniqueIDs(ids)...)
}

// MarkEscalations works out how long each volume has been missing at now
// and which are past the escalation time, and orders the list longest
// missing first. A volume whose history does not say when it went
// missing is escalated: nobody knows how long it has been gone.
func MarkEscalations(list []*MissingVolume, now time.Time, after time.Duration) {
	for _, m := range list {
		if m.Since.IsZero() {
			m.Escalate = true
			continue
		}
		gone := now.Sub(m.Since.Time)
		m.MissingFor = int64(gone / time.Second)
		m.Escalate = gone >= after
	}
	slices.SortStableFunc(list, func(a, b *MissingVolume) int {
		return cmp.Or(cmp.Compare(b.MissingFor, a.MissingFor), cmp.Compare(a.Volume.Barcode, b.Volume.Barcode))
	})
}

// Temporaries lists the temporary folders in use, those past their due
// day first (SAFETY H12: a temporary folder never merged back). Each
// patient listed is written to the access log.
func (s *Service) Temporaries(ctx context.Context, a Actor) ([]*TemporaryVolume, error) {
	list, err := s.Store.FindTemporaries(ctx)
	if err != nil {
		return nil, err
	}
	today := s.today()
	ids := make([]int64, len(list))
	for i, t := range list {
		t.PastDue = t.Due.Before(today.Time)
		ids[i] = t.Patient.ID
	}
	slices.SortStableFunc(list, func(a, b *TemporaryVolume) int {
		return cmp.Or(-cmpBool(a.PastDue, b.PastDue), a.Due.Compare(b.Due.Time), cmp.Compare(a.Volume.Barcode, b.Volume.Barcode))
	})
	return list, s.audit(ctx, a, "list_temporary", "", uniqueIDs(ids)...)
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// Found lists the missing volumes scans have found in the last
// FoundWindow: all of them, or when mine is set only those the actor
// marked missing, so they hear that their search is over. Each patient
// listed is written to the access log.
func (s *Service) Found(ctx context.Context, a Actor, mine bool) ([]*FoundVolume, error) {
	by := ""
	if mine {
		by = a.Name
	}
	list, err := s.Store.FindFound(ctx, s.now().Add(-FoundWindow), by)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, f := range list {
		ids[i] = f.Patient.ID
	}
	return list, s.audit(ctx, a, "list_found", "", uniqueIDs(ids)...)
}
