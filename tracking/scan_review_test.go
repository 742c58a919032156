package tracking

import (
	"context"
	"fmt"
	"testing"
)

func TestCheckScan(t *testing.T) {
	t.Parallel()
	s, m := newTestService()
	m.kept = []*StoredScan{{ScanID: "u1", Result: ResultUnknown}, {ScanID: "u2", Result: ResultUnknown},
		{ScanID: "m1", Result: ResultMoved}}
	ctx := context.Background()
	records := Actor{Name: "rita", Role: RoleRecords}
	tests := []struct {
		name, id string
		by       Actor
		code     string
		wantBy   string
	}{
		{"OK", "u1", records, "", "rita"},
		{"AlreadyCheckedKeepsTheFirst", "u1", clerk, "", "rita"},
		{"ErrNoSuchScan", "nope", records, ENOTFOUND, ""},
		{"ErrNotKeptForReview", "m1", records, EINVALID, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := s.CheckScan(ctx, tt.by, tt.id)
			if ErrorCode(err) != tt.code {
				t.Fatalf("CheckScan(%q) = %v, want code %q", tt.id, err, tt.code)
			}
			if tt.code == "" && (sc.CheckedBy != tt.wantBy || sc.CheckedAt == nil || !sc.CheckedAt.Equal(at(0))) {
				t.Errorf("checked by %q at %v, want %s at %v", sc.CheckedBy, sc.CheckedAt, tt.wantBy, at(0))
			}
		})
	}
	for unchecked, want := range map[bool]string{true: "[u2]", false: "[u2 u1]"} {
		scans, err := s.ReviewScans(ctx, ScanFilter{Unchecked: unchecked})
		var ids []string
		for _, sc := range scans {
			ids = append(ids, sc.ScanID)
		}
		if err != nil || fmt.Sprint(ids) != want {
			t.Errorf("ReviewScans(unchecked %v) = %v, %v; want %s", unchecked, ids, err, want)
		}
	}
}

func TestPageDevice(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, device string
		channel, tab string
		ok           bool
	}{
		{"StationTab", "station-3f2a9c1e-4b7d", "station", "3f2a9c1e", true},
		{"CameraTab", "camera-00ff00aa-0001", "camera", "00ff00aa", true},
		{"TokenName", "ward7-handheld", "", "", false},
		{"OtherPage", "batch-3f2a9c1e-4b7d", "", "", false},
		{"UpperCaseIsNotOurs", "station-3F2A9C1E-4B7D", "", "", false},
		{"ShortID", "station-3f2a9c1e", "", "", false},
		{"Empty", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, tab, ok := PageDevice(tt.device)
			if ch != tt.channel || tab != tt.tab || ok != tt.ok {
				t.Errorf("PageDevice(%q) = %q, %q, %v; want %q, %q, %v", tt.device, ch, tab, ok, tt.channel, tt.tab, tt.ok)
			}
		})
	}
}
