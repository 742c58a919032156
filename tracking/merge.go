package tracking

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Channels a merge can come through, kept with its record.
const (
	MergeByAPI  = "api"
	MergeByPage = "page"
	MergeByFeed = "feed"
)

// MergePlan is one merge of a duplicate patient record into the survivor,
// as the rules decided it: everything the store writes in the merge's
// transaction. The duplicate keeps its record (and its hospital number,
// which then finds the survivor) but no longer holds anything.
type MergePlan struct {
	// Duplicate and Survivor are the two records as they were.
	Duplicate, Survivor *Patient
	// Moves are the duplicate's volumes, numbered after the survivor's own
	// in their old order; Kept are the survivor's own volumes, whose
	// "n of m" changed. Together they are the volumes to relabel.
	Moves []VolumeMove
	Kept  []*Volume
	// TakeNHSNumber moves the duplicate's NHS number to a survivor that
	// had none, so that the number finds the survivor's record and label.
	TakeNHSNumber bool
	At            time.Time
	By            Actor
	Channel       string
	// ID is the merge's record, set by the store.
	ID int64
}

// VolumeMove is one of the duplicate's volumes given to the survivor.
type VolumeMove struct {
	Volume   *Volume
	From, To int // its number before and after
}

// Relabel lists the ids of the volumes whose label text the merge changes.
func (m *MergePlan) Relabel() []int64 {
	out := make([]int64, 0, len(m.Moves)+len(m.Kept))
	for _, mv := range m.Moves {
		out = append(out, mv.Volume.ID)
	}
	for _, v := range m.Kept {
		out = append(out, v.ID)
	}
	return out
}

// checkMerge refuses a merge the records do not allow: into itself, of a
// duplicate already merged (ECONFLICT), into a merged record.
func checkMerge(dup, survivor *Patient) error {
	switch {
	case dup.ID == survivor.ID:
		return FieldError("into", "A patient cannot be merged into itself.")
	case dup.MergedIntoID == survivor.ID:
		return Errorf(ECONFLICT, "Patient %s has already been merged into %s.", dup.HospitalNumber, survivor.HospitalNumber)
	case dup.MergedIntoID != 0:
		return Errorf(ECONFLICT, "Patient %s has already been merged into another record.", dup.HospitalNumber)
	case survivor.MergedIntoID != 0:
		return FieldError("into", "Patient %s has itself been merged into another record: merge into that one (searching for %s finds it).",
			survivor.HospitalNumber, survivor.HospitalNumber)
	}
	return nil
}

// MergeDoubts lists why two records may be two people, for the person
// about to merge them: different NHS numbers, dates of birth or family
// names. A PAS message that merges records with different NHS numbers or
// dates of birth is refused (checkFeedMerge); a person decides.
func MergeDoubts(dup, survivor *Patient) []string {
	var out []string
	if differentNHSNumbers(dup, survivor) {
		out = append(out, "The two records have different NHS numbers.")
	}
	if differentBirthDates(dup, survivor) {
		out = append(out, "The two records have different dates of birth.")
	}
	if !strings.EqualFold(dup.FamilyName, survivor.FamilyName) {
		out = append(out, "The two records have different family names.")
	}
	return out
}

func differentNHSNumbers(a, b *Patient) bool {
	return a.NHSNumber != "" && b.NHSNumber != "" && a.NHSNumber != b.NHSNumber
}

func differentBirthDates(a, b *Patient) bool {
	return a.BirthDate != nil && b.BirthDate != nil && !a.BirthDate.Equal(b.BirthDate.Time)
}

// PlanMerge decides a merge of dup into survivor, given each one's volumes:
// the duplicate's volumes are numbered after the survivor's highest, in
// their own order, so "Vol 1 of 2" and "Vol 1 of 3" never both exist.
func PlanMerge(dup, survivor *Patient, dupVols, survivorVols []*Volume) (MergePlan, error) {
	if err := checkMerge(dup, survivor); err != nil {
		return MergePlan{}, err
	}
	plan := MergePlan{Duplicate: dup, Survivor: survivor,
		TakeNHSNumber: survivor.NHSNumber == "" && dup.NHSNumber != ""}
	next := 0
	for _, v := range survivorVols {
		next = max(next, v.Number)
	}
	moved := slices.Clone(dupVols)
	slices.SortFunc(moved, func(a, b *Volume) int { return a.Number - b.Number })
	for _, v := range moved {
		next++
		plan.Moves = append(plan.Moves, VolumeMove{Volume: v, From: v.Number, To: next})
	}
	if len(moved) > 0 {
		plan.Kept = survivorVols
	}
	return plan, nil
}

// MergeResult is what a merge answers: the survivor as now stored, with
// its volumes, and the volumes whose labels must be printed again.
type MergeResult struct {
	Survivor *Patient
	Relabel  []*Volume
	MergeID  int64
}

// MergePatient merges the duplicate record (a hospital number) into the
// one named by into: see PlanMerge. The duplicate unknown is ENOTFOUND;
// into empty, unknown, the duplicate itself or a merged record is
// EINVALID on "into"; a duplicate already merged is ECONFLICT.
func (s *Service) MergePatient(ctx context.Context, a Actor, duplicate, into, channel string) (*MergeResult, error) {
	into = normalizeCode(into)
	if into == "" {
		return nil, FieldError("into", "Give the hospital number of the record to merge into.")
	}
	var plan MergePlan
	err := s.Store.ChangePatients(ctx, func(tx PatientTx) error {
		dup, err := tx.PatientByHospitalNumber(normalizeCode(duplicate))
		if err != nil {
			return err
		}
		survivor, err := tx.PatientByHospitalNumber(into)
		if err != nil {
			return notFoundAsInvalid(err, "into", "No patient has the hospital number %s.", into)
		}
		plan, err = s.planMerge(tx, dup, survivor, a, channel)
		if err != nil {
			return err
		}
		return s.merge(tx, &plan)
	})
	if err != nil {
		return nil, err
	}
	return s.mergeResult(ctx, &plan)
}

// planMerge reads both records' volumes and decides the merge.
func (s *Service) planMerge(tx PatientTx, dup, survivor *Patient, a Actor, channel string) (MergePlan, error) {
	if err := checkMerge(dup, survivor); err != nil {
		return MergePlan{}, err
	}
	dupVols, err := tx.VolumesOf(dup.ID)
	if err != nil {
		return MergePlan{}, err
	}
	survivorVols, err := tx.VolumesOf(survivor.ID)
	if err != nil {
		return MergePlan{}, err
	}
	plan, err := PlanMerge(dup, survivor, dupVols, survivorVols)
	plan.At, plan.By, plan.Channel = s.now(), a, channel
	return plan, err
}

// merge writes a planned merge and its audit inside the merge's
// transaction. Whatever else must follow a merge joins it here, in the
// same transaction: a merge is all of it or none.
func (s *Service) merge(tx PatientTx, plan *MergePlan) error {
	if err := tx.Merge(plan); err != nil {
		return err
	}
	detail := plan.Duplicate.HospitalNumber + " into " + plan.Survivor.HospitalNumber
	return tx.LogAccess(s.accessEntries(plan.By, "merge_patient", detail, plan.Duplicate.ID, plan.Survivor.ID))
}

// mergeResult reads the survivor as the merge left it.
func (s *Service) mergeResult(ctx context.Context, plan *MergePlan) (*MergeResult, error) {
	p, err := s.Store.FindPatientByHospitalNumber(ctx, plan.Survivor.HospitalNumber)
	if err != nil {
		return nil, err
	}
	if p.Volumes, err = s.Store.FindVolumesOfPatient(ctx, p.ID); err != nil {
		return nil, err
	}
	relabel := plan.Relabel()
	out := &MergeResult{Survivor: p, MergeID: plan.ID, Relabel: []*Volume{}}
	for _, v := range p.Volumes {
		if slices.Contains(relabel, v.ID) {
			out.Relabel = append(out.Relabel, v)
		}
	}
	return out, nil
}
