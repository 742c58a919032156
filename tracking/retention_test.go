package tracking

import (
	"context"
	"strings"
	"testing"
	"time"
)

func datePtr(s string) *Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return &d
}

// CheckDestruction: a hold or an unexpired review date refuses
// destruction (SAFETY.md H09); the review date's own day allows it.
func TestCheckDestruction(t *testing.T) {
	t.Parallel()
	today := *datePtr("2026-11-22")
	hold := &Hold{Reason: "Claim 2026/114", By: "rita", At: TimestampOf(at(-600))}
	tests := []struct {
		name string
		r    *Retention
		want string // a part of the message; "" allowed
	}{
		{"NothingInTheWay", nil, ""},
		{"EmptyRetention", &Retention{}, ""},
		{"ReviewDatePassed", &Retention{RetainUntil: datePtr("2026-11-21")}, ""},
		{"ReviewDateToday", &Retention{RetainUntil: datePtr("2026-11-22")}, ""},
		{"ErrReviewDateTomorrow", &Retention{RetainUntil: datePtr("2026-11-23")}, "kept until 23-Nov-2026"},
		{"ErrHold", &Retention{Hold: hold}, "legal hold (Claim 2026/114, placed by rita"},
		{"ErrHoldBeatsPassedDate", &Retention{Hold: hold, RetainUntil: datePtr("2000-01-01")}, "legal hold"},
		{"ProposalAloneAllows", &Retention{Proposal: &DestructionProposal{By: "rita"}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckDestruction(&Volume{Barcode: "V1"}, tc.r, today)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Code != ECONFLICT || e.Field != "status" || !strings.Contains(e.Message, tc.want) {
				t.Fatalf("err = %#v, want a conflict on status saying %q", err, tc.want)
			}
		})
	}
}

// NextDestructionStep: one person destroys at once; with two, the first
// asks, the same person asking again is refused, a second approves, and a
// stale proposal counts as none.
func TestNextDestructionStep(t *testing.T) {
	t.Parallel()
	now := at(0)
	fresh := &DestructionProposal{By: "Rita", At: TimestampOf(now.Add(-time.Hour))}
	stale := &DestructionProposal{By: "rita", At: TimestampOf(now.Add(-DestructionProposalLife - time.Minute))}
	tests := []struct {
		name   string
		two    bool
		p      *DestructionProposal
		actor  string
		expect DestructionStep
	}{
		{"OnePerson", false, nil, "rita", DestroyNow},
		{"OnePersonIgnoresProposal", false, fresh, "rita", DestroyNow},
		{"FirstOfTwo", true, nil, "rita", ProposeDestroy},
		{"SameAgain", true, fresh, "rita", DestroyNotAgain},
		{"SecondPerson", true, fresh, "sam", DestroyNow},
		{"StaleProposal", true, stale, "sam", ProposeDestroy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := NextDestructionStep(tc.two, tc.p, tc.actor, now); got != tc.expect {
				t.Fatalf("step %d, want %d", got, tc.expect)
			}
		})
	}
}

func TestCheckHoldReasonAndDate(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "   ", "claim\x00", strings.Repeat("x", 501)} {
		if _, err := CheckHoldReason(bad); ErrorCode(err) != EINVALID {
			t.Errorf("reason %q: %v, want invalid", bad, err)
		}
	}
	if r, err := CheckHoldReason("  Inquiry 7 "); err != nil || r != "Inquiry 7" {
		t.Errorf("good reason: %q, %v", r, err)
	}
	for _, d := range []string{"1899-12-31", "2200-01-01"} {
		if err := CheckRetainUntil(*datePtr(d)); ErrorCode(err) != EINVALID {
			t.Errorf("date %s: %v, want invalid", d, err)
		}
	}
	if err := CheckRetainUntil(*datePtr("2034-05-01")); err != nil {
		t.Error(err)
	}
}

// Through the service: a review date and a hold each refuse destruction
// and nothing changes; lifting the hold and passing the date allow it.
func TestDestructionRefusedWhileKept(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	ctx := context.Background()
	destroy := VolumeUpdate{Status: statusPtr(StatusDestroyed), Note: "certificate 12"}

	v, err := f.s.UpdateVolume(ctx, records, f.vol.Barcode, VolumeUpdate{RetainUntil: SetTo(*datePtr("2026-12-01"))})
	if err != nil || v.Retention == nil || v.RetainUntil.String() != "2026-12-01" {
		t.Fatalf("set review date: %+v, %v", v, err)
	}
	if _, err := f.s.UpdateVolume(ctx, records, f.vol.Barcode, destroy); ErrorCode(err) != ECONFLICT {
		t.Fatalf("destroy before the review date: %v", err)
	}
	// Clearing the date and destroying in one request is refused.
	both := destroy
	both.RetainUntil = Cleared[Date]()
	if _, err := f.s.UpdateVolume(ctx, records, f.vol.Barcode, both); ErrorCode(err) != EINVALID {
		t.Fatalf("destroy while clearing the review date: %v", err)
	}
	// The library may not clear it; a records manager may.
	library := Actor{Name: "lib", Role: RoleLibrary}
	if _, err := f.s.UpdateVolume(ctx, library, f.vol.Barcode, VolumeUpdate{RetainUntil: Cleared[Date]()}); ErrorCode(err) != EFORBIDDEN {
		t.Fatalf("library clears the review date: %v", err)
	}
	if _, err := f.s.UpdateVolume(ctx, records, f.vol.Barcode, VolumeUpdate{RetainUntil: Cleared[Date]()}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.PlaceHold(ctx, records, "H1", ""); ErrorCode(err) != EINVALID {
		t.Fatalf("hold without a reason: %v", err)
	}
	p, err := f.s.PlaceHold(ctx, records, "H1", "Claim 2026/114")
	if err != nil || len(p.Volumes) != 1 || p.Volumes[0].Hold == nil || p.Volumes[0].Hold.By != "rita" {
		t.Fatalf("place hold: %+v, %v", p, err)
	}
	_, err = f.s.UpdateVolume(ctx, records, f.vol.Barcode, destroy)
	if ErrorCode(err) != ECONFLICT || !strings.Contains(err.Error(), "legal hold") {
		t.Fatalf("destroy under a hold: %v", err)
	}
	if v, _ := f.s.FindVolume(ctx, records, f.vol.Barcode); v.Status != StatusActive {
		t.Fatalf("status %s after refusals", v.Status)
	}
	if _, err := f.s.LiftHold(ctx, records, "H1", " "); ErrorCode(err) != EINVALID {
		t.Fatalf("lift without saying why: %v", err)
	}
	if _, err := f.s.LiftHold(ctx, records, "H1", "Claim\nsettled"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.LiftHold(ctx, records, "H1", "again"); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("lift a lifted hold: %v", err)
	}
	v, err = f.s.UpdateVolume(ctx, records, f.vol.Barcode, destroy)
	if err != nil || v.Status != StatusDestroyed {
		t.Fatalf("destroy once free: %+v, %v", v, err)
	}
}

// With two-person destruction the first request is kept as a proposal,
// the proposer cannot approve it, another person can, and the history
// names both.
func TestTwoPersonDestruction(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	f.s.TwoPersonDestruction = true
	ctx := context.Background()
	sam := Actor{Name: "sam", Role: RoleRecords}
	destroy := VolumeUpdate{Status: statusPtr(StatusDestroyed), Note: "review 2026"}

	v, err := f.s.UpdateVolume(ctx, records, f.vol.Barcode, destroy)
	if err != nil || v.Status != StatusActive || v.Retention == nil || v.Proposal == nil || v.Proposal.By != "rita" {
		t.Fatalf("first person: %+v, %v", v, err)
	}
	if _, err := f.s.UpdateVolume(ctx, records, f.vol.Barcode, destroy); ErrorCode(err) != ECONFLICT {
		t.Fatalf("proposer again: %v", err)
	}
	v, err = f.s.UpdateVolume(ctx, sam, f.vol.Barcode, VolumeUpdate{Status: statusPtr(StatusDestroyed), Note: "shredded"})
	if err != nil || v.Status != StatusDestroyed {
		t.Fatalf("second person: %+v, %v", v, err)
	}
	last := v.StatusHistory[len(v.StatusHistory)-1]
	if last.By != "sam" || !strings.Contains(last.Note, "proposed by rita") || !strings.Contains(last.Note, "approved by sam") ||
		!strings.Contains(last.Note, "review 2026") || !strings.Contains(last.Note, "shredded") {
		t.Fatalf("history entry %+v", last)
	}
	if v.Retention != nil && v.Proposal != nil {
		t.Fatalf("proposal kept after destruction: %+v", v.Proposal)
	}
}

// Any other change of status ends a proposal: the second person must
// approve destroying the folder as it stands.
func TestStatusChangeEndsProposal(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	f.s.TwoPersonDestruction = true
	ctx := context.Background()
	if _, err := f.s.UpdateVolume(ctx, records, f.vol.Barcode, VolumeUpdate{Status: statusPtr(StatusDestroyed)}); err != nil {
		t.Fatal(err)
	}
	v, err := f.s.UpdateVolume(ctx, records, f.vol.Barcode, VolumeUpdate{Status: statusPtr(StatusClosed)})
	if err != nil || (v.Retention != nil && v.Proposal != nil) {
		t.Fatalf("close: %+v, %v", v, err)
	}
	sam := Actor{Name: "sam", Role: RoleRecords}
	v, err = f.s.UpdateVolume(ctx, sam, f.vol.Barcode, VolumeUpdate{Status: statusPtr(StatusDestroyed)})
	if err != nil || v.Status != StatusClosed || v.Proposal == nil || v.Proposal.By != "sam" {
		t.Fatalf("after the proposal ended, sam only proposes: %+v, %v", v, err)
	}
}

// SortRetentionReview: proposals first, oldest first, whatever their
// dates; then folders whose review date has come, earliest first; a date
// still to come is not listed.
func TestSortRetentionReview(t *testing.T) {
	t.Parallel()
	on := *datePtr("2026-11-22")
	entry := func(barcode string, r *Retention) *RetentionEntry {
		return &RetentionEntry{VolumeAt: VolumeAt{Volume: &Volume{Barcode: barcode}}, Retention: r}
	}
	prop := func(min int) *DestructionProposal { return &DestructionProposal{By: "rita", At: TimestampOf(at(min))} }
	list := []*RetentionEntry{
		entry("V5", &Retention{RetainUntil: datePtr("2026-11-22")}),
		entry("V4", &Retention{RetainUntil: datePtr("2020-01-01"), Hold: &Hold{Reason: "claim"}}),
		entry("V3", &Retention{Proposal: prop(10), RetainUntil: datePtr("2030-01-01")}),
		entry("V2", &Retention{Proposal: prop(-10)}),
		entry("V1", &Retention{RetainUntil: datePtr("2026-11-23")}),
		entry("V0", nil),
	}
	r := SortRetentionReview(list, on)
	var got []string
	for _, e := range r.Proposed {
		got = append(got, e.Volume.Barcode)
	}
	got = append(got, "|")
	for _, e := range r.Due {
		got = append(got, e.Volume.Barcode)
	}
	if strings.Join(got, " ") != "V2 V3 | V4 V5" {
		t.Fatalf("list %v, want V2 V3 | V4 V5", got)
	}
}

// CheckRetainUntilChange: a later date is anyone's to set; removing one
// or bringing it earlier is a records manager's; never with destruction.
func TestCheckRetainUntilChange(t *testing.T) {
	t.Parallel()
	stored := datePtr("2030-06-01")
	tests := []struct {
		name       string
		stored     *Date
		ch         Change[Date]
		role       Role
		destroying bool
		code       string
	}{
		{"FirstDateByLibrary", nil, SetTo(*datePtr("2030-01-01")), RoleLibrary, false, ""},
		{"LaterByLibrary", stored, SetTo(*datePtr("2031-01-01")), RoleLibrary, false, ""},
		{"SameByLibrary", stored, SetTo(*stored), RoleLibrary, false, ""},
		{"ErrEarlierByLibrary", stored, SetTo(*datePtr("2030-05-31")), RoleLibrary, false, EFORBIDDEN},
		{"ErrClearedByLibrary", stored, Cleared[Date](), RoleLibrary, false, EFORBIDDEN},
		{"EarlierByRecords", stored, SetTo(*datePtr("2020-01-01")), RoleRecords, false, ""},
		{"ClearedByAdmin", stored, Cleared[Date](), RoleAdmin, false, ""},
		{"ClearNothingByLibrary", nil, Cleared[Date](), RoleLibrary, false, ""},
		{"ErrWithDestruction", nil, SetTo(*datePtr("2030-01-01")), RoleRecords, true, EINVALID},
		{"ErrImplausible", nil, SetTo(*datePtr("1800-01-01")), RoleRecords, false, EINVALID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckRetainUntilChange(tc.stored, tc.ch, tc.role, tc.destroying)
			if ErrorCode(err) != tc.code {
				t.Fatalf("err = %v, want code %q", err, tc.code)
			}
			if e, ok := err.(*Error); ok && e.Field != "retain_until" {
				t.Errorf("field %q", e.Field)
			}
		})
	}
}

// A proposal older than its life has lapsed: it is not shown, and the
// next request to destroy is a new proposal.
func TestProposalLapses(t *testing.T) {
	t.Parallel()
	p := &DestructionProposal{By: "rita", At: TimestampOf(at(0))}
	r := &Retention{Proposal: p}
	if r.Current(at(0).Add(DestructionProposalLife)) != r {
		t.Error("a proposal on its last day has lapsed")
	}
	if got := r.Current(at(0).Add(DestructionProposalLife + time.Second)); got != nil {
		t.Errorf("lapsed proposal kept: %+v", got)
	}
	d := datePtr("2030-01-01")
	if got := (&Retention{Proposal: p, RetainUntil: d}).Current(at(0).Add(2 * DestructionProposalLife)); got == nil || got.Proposal != nil || got.RetainUntil != d {
		t.Errorf("lapsed proposal with a date: %+v", got)
	}
}
