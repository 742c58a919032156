package tracking

import (
	"context"
	"slices"
	"testing"
)

func vols(numbers ...int) []*Volume {
	out := make([]*Volume, len(numbers))
	for i, n := range numbers {
		out[i] = &Volume{ID: int64(100 + n), Number: n}
	}
	return out
}

func TestPlanMerge(t *testing.T) {
	tests := []struct {
		name          string
		dupVols       []*Volume
		survivorVols  []*Volume
		survivorNHS   string
		wantTo        []int
		wantRelabel   int
		wantTakeNHS   bool
		wantNoNumbers bool
	}{
		{"AfterTheSurvivors", vols(1, 2), vols(1, 2, 3), "9434765919", []int{4, 5}, 5, false, false},
		{"InTheirOrder", []*Volume{{ID: 7, Number: 2}, {ID: 8, Number: 1}}, vols(1), "", []int{2, 3}, 3, true, false},
		{"AfterTheHighestNumber", vols(1), vols(1, 5), "", []int{6}, 3, true, false},
		{"SurvivorWithoutVolumes", vols(1, 2), nil, "", []int{1, 2}, 2, true, false},
		{"DuplicateWithoutVolumes", nil, vols(1, 2), "", nil, 0, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dup := &Patient{ID: 2, HospitalNumber: "H2", NHSNumber: "4010232137"}
			surv := &Patient{ID: 1, HospitalNumber: "H1", NHSNumber: tc.survivorNHS}
			plan, err := PlanMerge(dup, surv, tc.dupVols, tc.survivorVols)
			if err != nil {
				t.Fatal(err)
			}
			var to []int
			for _, mv := range plan.Moves {
				to = append(to, mv.To)
			}
			if !slices.Equal(to, tc.wantTo) || len(plan.Relabel()) != tc.wantRelabel || plan.TakeNHSNumber != tc.wantTakeNHS {
				t.Errorf("moves to %v, relabel %d, take NHS %v; want %v, %d, %v", to, len(plan.Relabel()), plan.TakeNHSNumber,
					tc.wantTo, tc.wantRelabel, tc.wantTakeNHS)
			}
		})
	}
}

func TestMergePatientRefused(t *testing.T) {
	tests := []struct {
		name, dup, into string
		code, field     string
	}{
		{"ErrIntoItself", "H2", "h2", EINVALID, "into"},
		{"ErrIntoUnknown", "H2", "H9", EINVALID, "into"},
		{"ErrIntoEmpty", "H2", " ", EINVALID, "into"},
		{"ErrIntoMerged", "H2", "H3", EINVALID, "into"},
		{"ErrAlreadyMerged", "H3", "H1", ECONFLICT, ""},
		{"ErrAlreadyMergedElsewhere", "H3", "H2", ECONFLICT, ""},
		{"ErrUnknownDuplicate", "H9", "H1", ENOTFOUND, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newPatientFixture(t, &Patient{HospitalNumber: "H1", FamilyName: "Smith"},
				&Patient{HospitalNumber: "H2", FamilyName: "Smith"}, &Patient{HospitalNumber: "H3", FamilyName: "Smith"})
			ctx := context.Background()
			if _, err := s.MergePatient(ctx, librarian, "H3", "H1", MergeByAPI); err != nil {
				t.Fatal(err)
			}
			_, err := s.MergePatient(ctx, librarian, tc.dup, tc.into, MergeByAPI)
			var e *Error
			if ErrorCode(err) != tc.code || tc.field != "" && (!asError(err, &e) || e.Field != tc.field) {
				t.Errorf("merge %s into %s: %v, want %s on %q", tc.dup, tc.into, err, tc.code, tc.field)
			}
		})
	}
}

func asError(err error, e **Error) bool {
	x, ok := err.(*Error)
	*e = x
	return ok
}

// TestMergePatient merges H2 (two volumes, an NHS number) into H1 (one
// volume, none): H2's volumes become H1's 2 and 3, the NHS number and old
// hospital number find H1, all three volumes are to be relabelled, and the
// merge is an open task until marked done.
func TestMergePatient(t *testing.T) {
	s, m := newPatientFixture(t, &Patient{HospitalNumber: "H1", FamilyName: "Smith"},
		&Patient{HospitalNumber: "H2", FamilyName: "Smyth", NHSNumber: "9434765919"})
	ctx := context.Background()
	if _, err := s.AddVolume(ctx, librarian, "H2", VolumeInput{}); err != nil {
		t.Fatal(err)
	}
	res, err := s.MergePatient(ctx, librarian, "h2", "H1", MergeByPage)
	if err != nil {
		t.Fatal(err)
	}
	var numbers []int
	for _, v := range res.Survivor.Volumes {
		numbers = append(numbers, v.Number)
	}
	if res.Survivor.HospitalNumber != "H1" || res.Survivor.NHSNumber != "9434765919" || !slices.Equal(numbers, []int{1, 2, 3}) ||
		len(res.Relabel) != 3 {
		t.Fatalf("survivor %+v volumes %v relabel %d", res.Survivor, numbers, len(res.Relabel))
	}
	for _, f := range []PatientFilter{{HospitalNumber: "H2"}, {NHSNumber: "9434765919"}} {
		ps, err := s.FindPatients(ctx, librarian, f)
		if err != nil || len(ps) != 1 || ps[0].HospitalNumber != "H1" {
			t.Errorf("find %+v: %v %v, want H1", f, ps, err)
		}
	}
	var audited []int64
	for _, a := range m.access {
		if a.Action == "merge_patient" && a.Detail == "H2 into H1" && a.Actor == "lib" {
			audited = append(audited, a.PatientID)
		}
	}
	if !slices.Equal(audited, []int64{2, 1}) {
		t.Errorf("merge audited for patients %v, want [2 1]", audited)
	}
	checkMergeTask(t, s, res.MergeID)
}

func checkMergeTask(t *testing.T, s *Service, id int64) {
	t.Helper()
	ctx := context.Background()
	open, err := s.FindMerges(ctx, librarian, MergeFilter{Open: true})
	if err != nil || len(open) != 1 || open[0].ID != id || open[0].Duplicate.HospitalNumber != "H2" ||
		open[0].Duplicate.NHSNumber != "9434765919" || len(open[0].Relabel) != 3 || open[0].By != "lib" || open[0].Channel != MergeByPage {
		t.Fatalf("open merges %+v %v", open, err)
	}
	if n, err := s.CountOpenMerges(ctx); err != nil || n != 1 {
		t.Errorf("open merges counted %d %v, want 1", n, err)
	}
	if _, err := s.FinishMerge(ctx, librarian, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FinishMerge(ctx, librarian, id); ErrorCode(err) != ECONFLICT {
		t.Errorf("finishing twice: %v, want conflict", err)
	}
	if open, _ := s.FindMerges(ctx, librarian, MergeFilter{Open: true}); len(open) != 0 {
		t.Errorf("open merges after finishing: %d", len(open))
	}
}
