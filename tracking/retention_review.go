package tracking

import (
	"cmp"
	"context"
	"slices"
)

// RetentionEntry is a folder on the records manager's retention list:
// one whose review date has come, or whose destruction waits for a second
// person. A held record's folders are listed with their hold, so that
// nobody reviews them as if they were free.
type RetentionEntry struct {
	VolumeAt
	*Retention
}

// RetentionReview is the retention list: destructions proposed and
// waiting for a second person, oldest first, then folders whose review
// date has come, earliest date first. Nothing on it is destroyed by
// casetrack: it is the work a records manager reviews (SAFETY.md H09).
type RetentionReview struct {
	Proposed []*RetentionEntry `json:"proposed"`
	Due      []*RetentionEntry `json:"due"`
	// More says the store stopped at MaxRetentionReview entries.
	More bool `json:"more"`
}

// MaxRetentionReview bounds the list one page or answer shows: a review
// is worked a batch at a time.
const MaxRetentionReview = 1000

// RetentionReviewStore reads the folders for the retention list.
type RetentionReviewStore interface {
	// FindRetentionReview returns up to limit folders, not destroyed,
	// whose review date is on or before the day or whose destruction is
	// proposed, each with its patient, where it is and its retention.
	FindRetentionReview(ctx context.Context, on Date, limit int) ([]*RetentionEntry, error)
}

// SortRetentionReview splits the folders into the list's two parts and
// orders each: a proposal by when it was made (the oldest expires
// first), a due folder by its review date, then barcode.
func SortRetentionReview(entries []*RetentionEntry, on Date) RetentionReview {
	r := RetentionReview{Proposed: []*RetentionEntry{}, Due: []*RetentionEntry{}}
	for _, e := range entries {
		if e.Retention == nil {
			continue
		}
		switch {
		case e.Proposal != nil:
			r.Proposed = append(r.Proposed, e)
		case e.RetainUntil != nil && !e.RetainUntil.After(on.Time):
			r.Due = append(r.Due, e)
		}
	}
	slices.SortStableFunc(r.Proposed, func(a, b *RetentionEntry) int {
		return cmp.Or(a.Proposal.At.Compare(b.Proposal.At.Time), cmp.Compare(a.Volume.Barcode, b.Volume.Barcode))
	})
	slices.SortStableFunc(r.Due, func(a, b *RetentionEntry) int {
		return cmp.Or(a.RetainUntil.Compare(b.RetainUntil.Time), cmp.Compare(a.Volume.Barcode, b.Volume.Barcode))
	})
	return r
}

// RetentionReview lists the folders a records manager has to review for
// destruction today; every patient listed is written to the access log.
func (s *Service) RetentionReview(ctx context.Context, a Actor) (RetentionReview, error) {
	on := DateOf(s.now().In(s.zone()))
	entries, err := s.Store.FindRetentionReview(ctx, on, MaxRetentionReview+1)
	if err != nil {
		return RetentionReview{}, err
	}
	more := len(entries) > MaxRetentionReview
	if more {
		entries = entries[:MaxRetentionReview]
	}
	for _, e := range entries {
		e.Retention = e.Retention.Current(s.now())
	}
	r := SortRetentionReview(entries, on)
	r.More = more
	ids := make([]int64, 0, len(entries))
	for _, e := range entries {
		ids = append(ids, e.Patient.ID)
	}
	return r, s.audit(ctx, a, "list_retention", "", uniqueIDs(ids)...)
}
