package tracking

import (
	"bytes"
	"context"
	"testing"
	"time"
)

var records = Actor{Name: "rita", Role: RoleRecords}

func statusPtr(s VolumeStatus) *VolumeStatus { return &s }

// CheckStatusChange holds the lines a status change may not cross.
func TestCheckStatusChange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		from, to    VolumeStatus
		note        string
		code, field string
	}{
		{"MissingWithNote", StatusActive, StatusMissing, "Searched ward 7 and theatres", "", ""},
		{"MissingWithoutNote", StatusActive, StatusMissing, "", "", ""},
		{"ErrAmalgamatedBySetting", StatusTemporary, StatusAmalgamated, "", EINVALID, "status"},
		{"ErrDestroyedIsFinal", StatusDestroyed, StatusActive, "", ECONFLICT, ""},
		{"DestroyedAgainWithNote", StatusDestroyed, StatusDestroyed, "certificate 12", "", ""},
		{"ErrAmalgamatedIsFinal", StatusAmalgamated, StatusActive, "", ECONFLICT, ""},
		{"ErrUnknownStatus", StatusActive, "lost", "", EINVALID, "status"},
		{"ErrNoteTooLong", StatusActive, StatusMissing, string(bytes.Repeat([]byte("x"), 501)), EINVALID, "note"},
		{"ErrNoteControl", StatusActive, StatusMissing, "ward\x007", EINVALID, "note"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CheckStatusChange(&Volume{Barcode: "V1", Status: tc.from}, tc.to, tc.note)
			if ErrorCode(err) != tc.code {
				t.Fatalf("err = %v, want code %q", err, tc.code)
			}
			if e, _ := err.(*Error); tc.field != "" && e.Field != tc.field {
				t.Errorf("field %q, want %q", e.Field, tc.field)
			}
		})
	}
}

// Marking a volume missing starts its search log; a scan that books it
// finds it (answered found, active again, its history ended), and whoever
// marked it missing is the one told.
func TestScanFindsMissingVolume(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	ctx := context.Background()
	v, err := f.s.UpdateVolume(ctx, records, f.vol.Barcode, VolumeUpdate{Status: statusPtr(StatusMissing), Note: "Searched WARD7"})
	if err != nil || v.Status != StatusMissing || len(v.StatusHistory) != 1 || v.StatusHistory[0].Note != "Searched WARD7" {
		t.Fatalf("mark missing: %+v, %v", v, err)
	}
	sc := Scan{ScanID: "find", Barcode: f.vol.Barcode, Location: "WARD9", ScannedAt: TimestampOf(at(0))}
	rec, err := f.s.RecordScan(ctx, porter, sc)
	if err != nil {
		t.Fatal(err)
	}
	got := answer(t, rec.Response)
	if !got.Found || got.Result != ResultMoved || got.Volume.Status != StatusActive {
		t.Fatalf("scan of a missing volume: %s", rec.Response)
	}
	again, _ := f.s.RecordScan(ctx, porter, sc)
	if !bytes.Equal(again.Response, rec.Response) {
		t.Errorf("a repeated scan id answered %s, want the first answer", again.Response)
	}
	v, _ = f.s.FindVolume(ctx, records, f.vol.Barcode)
	if h := v.StatusHistory; v.Status != StatusActive || len(h) != 2 || h[1].From != StatusMissing || h[1].By != porter.Name {
		t.Errorf("after the find: %s, history %+v", v.Status, h)
	}
	if mine, _ := f.s.Found(ctx, records, true); len(mine) != 1 || mine[0].MarkedMissingBy != records.Name {
		t.Errorf("found for whoever marked it missing: %+v", mine)
	}
	if theirs, _ := f.s.Found(ctx, clerk, true); len(theirs) != 0 {
		t.Errorf("found shown to someone who did not mark it missing: %+v", theirs)
	}
}

// A missing volume is escalated to the records manager once it has been
// missing longer than the escalation time (SAFETY H13).
func TestMissingPastEscalationIsListed(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	ctx := context.Background()
	if _, err := f.s.UpdateVolume(ctx, records, f.vol.Barcode, VolumeUpdate{Status: statusPtr(StatusMissing), Note: "x"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		days     int
		escalate bool
	}{{"NotYet", 6, false}, {"PastSevenDays", 7, true}} {
		f.s.Now = func() time.Time { return at(tc.days * 24 * 60) }
		list, err := f.s.Missing(ctx, records)
		if err != nil || len(list) != 1 {
			t.Fatalf("%s: %+v, %v", tc.name, list, err)
		}
		if m := list[0]; m.Escalate != tc.escalate || m.MissingFor != int64(tc.days*86400) || m.By != records.Name {
			t.Errorf("%s: %+v", tc.name, m)
		}
	}
}
