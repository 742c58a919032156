package tracking

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestWithLoans(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, spec, want string
		ok               bool
	}{
		{"Defaults", "", "ward=7d,clinic=2d,department=3d,office=14d", true},
		{"OneKindChanged", "ward=10d", "ward=10d,clinic=2d,department=3d,office=14d", true},
		{"GoDurationsAndSpaces", " clinic = 36h , office=90m", "ward=7d,clinic=36h0m0s,department=3d,office=1h30m0s", true},
		{"NoneRemovesAKind", "office=none", "ward=7d,clinic=2d,department=3d", true},
		{"AKindWithoutOne", "library=30d", "library=30d,ward=7d,clinic=2d,department=3d,office=14d", true},
		{"ErrUnknownKind", "bathroom=1d", "", false},
		{"ErrTransitHasItsOwnLimit", "transit=1h", "", false},
		{"ErrNoEquals", "ward", "", false},
		{"ErrBadDuration", "ward=a week", "", false},
		{"Seconds", "clinic=2s", "ward=7d,clinic=2s,department=3d,office=14d", true},
		{"ErrNothing", "ward=0s", "", false},
		{"ErrTwice", "ward=1d,ward=2d", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := DefaultLoanPolicy().WithLoans(tc.spec)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v", err)
			}
			if err == nil && p.String() != tc.want {
				t.Errorf("policy %s, want %s", p, tc.want)
			}
		})
	}
}

func TestPeriodAt(t *testing.T) {
	t.Parallel()
	p := DefaultLoanPolicy()
	tenDays, none := Period(10*day), Period(0)
	tests := []struct {
		name string
		loc  Location
		want time.Duration
		ok   bool
	}{
		{"Ward", Location{Kind: KindWard}, 7 * day, true},
		{"LibraryNever", Location{Kind: KindLibrary}, 0, false},
		{"PorterTransitLimit", Location{Kind: KindPerson}, 4 * time.Hour, true},
		{"TrolleyTransitLimit", Location{Kind: KindTransit}, 4 * time.Hour, true},
		{"LongStayWard", Location{Kind: KindWard, LoanPeriod: &tenDays}, 10 * day, true},
		{"WardThatKeepsThem", Location{Kind: KindWard, LoanPeriod: &none}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d, ok := p.PeriodAt(&tc.loc); d != tc.want || ok != tc.ok {
				t.Errorf("PeriodAt = %v, %v; want %v, %v", d, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestPeriodJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, out string }{{`"7d"`, `"7d"`}, {`"36h"`, `"36h0m0s"`}, {`"48h"`, `"2d"`}, {`"none"`, `"none"`}} {
		var p Period
		if err := json.Unmarshal([]byte(tc.in), &p); err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if b, _ := json.Marshal(p); string(b) != tc.out {
			t.Errorf("%s came back as %s, want %s", tc.in, b, tc.out)
		}
	}
	for _, bad := range []string{`7`, `"a week"`, `"0s"`, `"-1h"`} {
		var p Period
		if err := json.Unmarshal([]byte(bad), &p); fieldOf(err) != "loan_period" {
			t.Errorf("%s: %v, want an error on loan_period", bad, err)
		}
	}
}

// Overdue notes: away longer than the period of where they are, longest
// first, by whole seconds; a scan finding a folder already there does
// not restart its clock; missing and other statuses are never listed.
func TestOverdue(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	ctx := context.Background()
	two := f.twoVol.Volumes[0].Barcode
	f.s.Now = func() time.Time { return at(0) }
	f.scan(t, "a", f.vol.Barcode, "WARD7")
	f.scan(t, "b", two, "WARD9")
	f.s.Now = func() time.Time { return at(60) }
	f.scan(t, "c", two, "WARD9") // already here: the clock runs on
	f.s.Now = func() time.Time { return at(7*24*60 + 30) }
	list, err := f.s.Overdue(ctx, records)
	if err != nil || len(list) != 2 {
		t.Fatalf("overdue: %+v, %v", list, err)
	}
	if list[0].OverdueBy != 30*60 || list[0].Since.Time != at(0) || list[0].LoanPeriod != Period(7*day) {
		t.Errorf("first: %+v", list[0])
	}
	mustStatus(t, f.s, f.vol.Barcode, StatusMissing)
	mustStatus(t, f.s, two, StatusArchived)
	if list, _ := f.s.Overdue(ctx, records); len(list) != 0 {
		t.Errorf("missing and archived volumes listed: %+v", list[0])
	}
}

func TestOverdueListOrder(t *testing.T) {
	t.Parallel()
	loc := func(id int64, code string) *Location { return &Location{ID: id, Code: code} }
	w7, w9 := loc(1, "WARD7"), loc(2, "WARD9")
	away := func(bc string, l *Location, sinceMin int) *AwayVolume {
		return &AwayVolume{Volume: &Volume{Barcode: bc, CurrentID: l.ID, Current: l, Patient: &Patient{ID: 1},
			Since: TimestampOf(at(sinceMin))}}
	}
	list := OverdueList([]*AwayVolume{away("V3", w7, 0), away("V2", w9, 0), away("V1", w7, -10)},
		map[int64]time.Duration{1: time.Hour, 2: time.Hour}, at(90).Add(999*time.Millisecond))
	var got []string
	for _, o := range list {
		got = append(got, o.Volume.Barcode+":"+o.Location.Code)
	}
	if want := "V1:WARD7 V3:WARD7 V2:WARD9"; strings.Join(got, " ") != want {
		t.Errorf("order %s, want %s", strings.Join(got, " "), want)
	}
	if list[0].OverdueBy != 40*60 {
		t.Errorf("overdue_by %d, want whole seconds (2400)", list[0].OverdueBy)
	}
	if list[0].Volume.Patient != nil || list[0].Patient == nil {
		t.Errorf("the patient goes beside the volume, not in it: %+v", list[0])
	}
}
