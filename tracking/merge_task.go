package tracking

import (
	"context"
	"time"
)

// Merge is a merge as recorded: who merged which record into which, when
// and through what, the duplicate as it was, and the volumes whose labels
// must be printed again. Until someone says the folders are relabelled and
// filed with the survivor's, the merge is an open task (SAFETY.md H05): a
// merged record's folders left on the shelf under its old label are half
// of a patient's history.
type Merge struct {
	ID int64
	// Duplicate is the merged record as it was just before the merge.
	Duplicate Patient
	// Survivor is the surviving record as it is now.
	Survivor *Patient
	At       time.Time
	By       string
	Role     Role
	Channel  string
	// Relabel are the volumes to relabel, as they are now.
	Relabel []*Volume
	DoneAt  *time.Time
	DoneBy  string
}

// Open reports whether the merge's folders still wait to be relabelled.
func (m *Merge) Open() bool { return m.DoneAt == nil }

// MergeFilter narrows FindMerges.
type MergeFilter struct {
	ID int64
	// Open keeps the merges whose folders still wait to be relabelled.
	Open bool
	// PatientID keeps the merges into that patient.
	PatientID int64
	Limit     int
}

// MergeStore is the part of Store that keeps the record of merges.
type MergeStore interface {
	// FindMerges returns merges newest first, each with its survivor and
	// the volumes to relabel (with their patient).
	FindMerges(ctx context.Context, f MergeFilter) ([]*Merge, error)
	// FinishMerge records that a merge's folders were relabelled;
	// ECONFLICT when it already was.
	FinishMerge(ctx context.Context, id int64, by string, at time.Time) error
	// CountOpenMerges counts the merges whose folders wait to be relabelled.
	CountOpenMerges(ctx context.Context) (int, error)
}

// CountOpenMerges says how many merges leave folders to relabel, for the
// pages to show the task; it shows no patient, so reads none.
func (s *Service) CountOpenMerges(ctx context.Context) (int, error) {
	return s.Store.CountOpenMerges(ctx)
}

// FindMerges lists merges (the open ones, by default the latest 100); the
// patients shown are written to the access log.
func (s *Service) FindMerges(ctx context.Context, a Actor, f MergeFilter) ([]*Merge, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	ms, err := s.Store.FindMerges(ctx, f)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, 2*len(ms))
	for _, m := range ms {
		ids = append(ids, m.Duplicate.ID, m.Survivor.ID)
	}
	return ms, s.audit(ctx, a, "view_merges", "", ids...)
}

// FindMerge returns one merge by its id.
func (s *Service) FindMerge(ctx context.Context, a Actor, id int64) (*Merge, error) {
	ms, err := s.FindMerges(ctx, a, MergeFilter{ID: id, Limit: 1})
	return only(ms, err, "merge", id)
}

// FinishMerge records that a merge's folders have been relabelled and
// filed with the survivor's, which closes its task.
func (s *Service) FinishMerge(ctx context.Context, a Actor, id int64) (*Merge, error) {
	m, err := s.FindMerge(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !m.Open() {
		return nil, Errorf(ECONFLICT, "The folders of this merge were marked relabelled by %s already.", m.DoneBy)
	}
	at := s.now()
	if err := s.Store.FinishMerge(ctx, id, a.Name, at); err != nil {
		return nil, err
	}
	m.DoneAt, m.DoneBy = &at, a.Name
	return m, s.audit(ctx, a, "finish_merge", m.Duplicate.HospitalNumber+" into "+m.Survivor.HospitalNumber, m.Survivor.ID)
}

// only returns what a search by id found, or ENOTFOUND naming what.
func only[T any](found []T, err error, what string, id int64) (T, error) {
	var zero T
	switch {
	case err != nil:
		return zero, err
	case len(found) == 0:
		return zero, Errorf(ENOTFOUND, "There is no %s %d.", what, id)
	}
	return found[0], nil
}
