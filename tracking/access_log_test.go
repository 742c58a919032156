package tracking

import (
	"context"
	"slices"
	"testing"
	"time"
)

// Reading the access log: filters, pages, an unknown patient, bad dates;
// and every read is itself written to the log, one entry for each patient
// shown, or one for none.
func TestReadAccessLog(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	ctx := context.Background()
	m := f.m
	m.access = nil
	smith := m.patients[0].ID
	for i, e := range []Access{
		{Actor: "jo", Action: "view_volume", PatientID: smith},
		{Actor: "kim", Action: "scan", PatientID: m.patients[1].ID},
		{Actor: "ann", Action: "create_user", Detail: "al"},
		{Actor: "jo", Action: "scan", PatientID: smith},
	} {
		e.At, e.Role = at(-60+i*10), RoleClerk
		m.access = append(m.access, e)
	}
	seed := m.access
	rec := Actor{Name: "rita", Role: RoleRecords, Kind: ActorUser}
	tests := []struct {
		name    string
		q       AccessQuery
		actions string // the entries' actors, newest first
		code    string
		field   string
	}{
		{"All", AccessQuery{}, "jo ann kim jo", "", ""},
		{"Patient", AccessQuery{Patient: "h1"}, "jo jo", "", ""},
		{"Actor", AccessQuery{Actor: "kim"}, "kim", "", ""},
		{"Times", AccessQuery{From: TimestampOf(at(-50)).Format(), To: TimestampOf(at(-40)).Format()}, "ann kim", "", ""},
		{"ErrUnknownPatient", AccessQuery{Patient: "H404"}, "", ENOTFOUND, ""},
		{"ErrBadFrom", AccessQuery{From: "yesterday"}, "", EINVALID, "from"},
		{"ErrBadPage", AccessQuery{After: "x"}, "", EINVALID, "after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m.access = slices.Clone(seed)
			before := len(m.access)
			page, err := f.s.ReadAccessLog(ctx, rec, tt.q)
			if ErrorCode(err) != tt.code || tt.field != "" && err.(*Error).Field != tt.field {
				t.Fatalf("ReadAccessLog = %v, want %q on %q", err, tt.code, tt.field)
			}
			if err != nil {
				return
			}
			var got string
			for i, e := range page.Entries {
				if i > 0 {
					got += " "
				}
				got += e.Actor
			}
			if got != tt.actions {
				t.Errorf("entries %q, want %q", got, tt.actions)
			}
			checkReadRecorded(t, m.access[before:], page, rec)
		})
	}
}

// checkReadRecorded: the reading wrote one entry per patient it showed,
// or one with none.
func checkReadRecorded(t *testing.T, written []Access, page AccessPage, rec Actor) {
	t.Helper()
	patients := map[int64]bool{}
	for _, e := range page.Entries {
		if e.PatientID != 0 {
			patients[e.PatientID] = true
		}
	}
	want := max(len(patients), 1)
	if len(written) != want {
		t.Fatalf("the read wrote %d entries, want %d", len(written), want)
	}
	for _, w := range written {
		if w.Action != "read_access_log" || w.Actor != rec.Name || w.ActorKind != ActorUser || (len(patients) > 0) != patients[w.PatientID] {
			t.Errorf("entry for the read: %+v", w)
		}
	}
}

// Pages follow one another without a gap or an entry twice, however
// many entries share a time; the last page has no next.
func TestAccessLogPages(t *testing.T) {
	t.Parallel()
	s, m := newTestService()
	for i := range 7 {
		m.access = append(m.access, Access{At: at(-(i / 3)), Actor: "jo", Detail: string(rune('a' + i))})
	}
	var got string
	q := AccessQuery{Actor: "jo", Limit: 3}
	for pages := 0; ; pages++ {
		page, err := s.ReadAccessLog(context.Background(), Actor{Name: "rita", Role: RoleRecords}, q)
		if err != nil || pages > 3 {
			t.Fatalf("page %d: %v", pages, err)
		}
		for _, e := range page.Entries {
			got += e.Detail
		}
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	if got != "cbafedg" {
		t.Errorf("pages gave %q, want cbafedg (newest time first, the later written first at a tie)", got)
	}
}

// A date bound is the whole day in the server's zone: to=D includes all
// of D.
func TestAccessBounds(t *testing.T) {
	t.Parallel()
	from, _ := accessBound("from", "2026-12-03", false)
	to, _ := accessBound("to", "2026-12-03", true)
	day := time.Date(2026, 12, 3, 0, 0, 0, 0, time.Local)
	if !from.Equal(day) || !to.Equal(day.Add(24*time.Hour-time.Nanosecond)) {
		t.Errorf("2026-12-03 from %v to %v, want the whole day", from, to)
	}
	if at, err := accessBound("to", "2026-12-03T10:00:00Z", true); err != nil || !at.Equal(time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("a time bound: %v, %v", at, err)
	}
}
