package db_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

func decodeResult(t *testing.T, b []byte) tracking.ScanResult {
	t.Helper()
	var r struct {
		tracking.ScanResult
		Volume *struct {
			Current *tracking.Location `json:"current_location"`
		} `json:"volume"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	if r.Volume != nil {
		r.ScanResult.Volume = &tracking.Volume{Current: r.Volume.Current}
	}
	return r.ScanResult
}

func TestScanResults(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		at := func(min int) tracking.Timestamp {
			return tracking.TimestampOf(f.now.Add(time.Duration(min) * time.Minute))
		}
		steps := []struct {
			name string
			scan tracking.Scan
			want tracking.Result
			here string
		}{
			{"Moved", tracking.Scan{ScanID: "s1", Barcode: f.vol.Barcode, Location: "WARD7", ScannedAt: at(-10)}, tracking.ResultMoved, "WARD7"},
			{"AlreadyHere", tracking.Scan{ScanID: "s2", Barcode: f.vol.Barcode + "\r\n", Location: "ward7", ScannedAt: at(-9)}, tracking.ResultAlreadyHere, "WARD7"},
			{"LocationSet", tracking.Scan{ScanID: "s3", Barcode: f.wardB.Barcode, Device: "hh1", ScannedAt: at(-8)}, tracking.ResultLocationSet, "WARD7"},
			{"MovedByDeviceContext", tracking.Scan{ScanID: "s4", Barcode: "]C0" + f.vol.Barcode, Device: "hh1", ScannedAt: at(-7)}, tracking.ResultMoved, "WARD9"},
			{"RecordedLate", tracking.Scan{ScanID: "s5", Barcode: f.vol.Barcode, Location: "LIB", ScannedAt: at(-9)}, tracking.ResultRecordedLate, "WARD9"},
			{"Unknown", tracking.Scan{ScanID: "s6", Barcode: "ZZTOP-42"}, tracking.ResultUnknown, "WARD9"},
			{"RejectedCheckDigit", tracking.Scan{ScanID: "s7", Barcode: f.vol.Barcode[:9] + string(flip(f.vol.Barcode[9]))}, tracking.ResultRejected, "WARD9"},
			{"MovedByNHSNumber", tracking.Scan{ScanID: "s8", Barcode: "9434765919", Location: "LIB", ScannedAt: at(-1)}, tracking.ResultMoved, "LIB"},
		}
		for _, s := range steps {
			got := f.scan(t, s.scan)
			if got.Result != s.want {
				t.Errorf("%s: result = %q (%s), want %q", s.name, got.Result, got.Message, s.want)
			}
			if here := f.currentCode(t); here != s.here {
				t.Errorf("%s: volume at %s, want %s", s.name, here, s.here)
			}
		}
		ms, err := f.svc.FindMovements(context.Background(), porter, f.vol.Barcode)
		if err != nil {
			t.Fatal(err)
		}
		var chain []string
		for _, m := range ms {
			chain = append(chain, m.From+">"+m.To)
		}
		if got := fmt.Sprint(chain); got != "[LIB>WARD7 WARD7>WARD7 WARD7>LIB LIB>WARD9 WARD9>LIB]" {
			t.Errorf("history = %s", got)
		}
	})
}

// resolved is a list of records resolved already, handed to the store
// whole.
type resolved []*tracking.ScanRecord

func (r resolved) Len() int { return len(r) }

func (r resolved) Next(ctx context.Context, n int) ([]*tracking.ScanRecord, error) { return r, nil }

func flip(c byte) byte {
	if c == '0' {
		return '1'
	}
	return '0'
}

func TestScanRepeatIsByteForByteAndChangesNothing(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		first, err := f.svc.RecordScan(ctx, porter, tracking.Scan{ScanID: "dup", Barcode: f.vol.Barcode, Location: "WARD7"})
		if err != nil {
			t.Fatal(err)
		}
		f.now = f.now.Add(time.Minute)
		f.scan(t, tracking.Scan{ScanID: "later", Barcode: f.vol.Barcode, Location: "WARD9"})
		again, err := f.svc.RecordScan(ctx, porter, tracking.Scan{ScanID: "dup", Barcode: f.vol.Barcode, Location: "WARD7"})
		if err != nil {
			t.Fatal(err)
		}
		if !again.Repeat || !bytes.Equal(first.Response, again.Response) {
			t.Errorf("repeat = %v\nfirst  %s\nagain  %s", again.Repeat, first.Response, again.Response)
		}
		if here := f.currentCode(t); here != "WARD9" {
			t.Errorf("repeat moved the volume to %s", here)
		}
		ms, _ := f.svc.FindMovements(ctx, porter, f.vol.Barcode)
		if len(ms) != 2 {
			t.Errorf("%d movements, want 2", len(ms))
		}
	})
}

func TestScanErrorsNeedLocation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		_, err := f.svc.RecordScan(ctx, porter, tracking.Scan{Barcode: f.vol.Barcode})
		if tracking.ErrorCode(err) != tracking.EINVALID {
			t.Errorf("no location: err = %v, want invalid", err)
		}
		_, err = f.svc.RecordScan(ctx, porter, tracking.Scan{Barcode: f.vol.Barcode, Location: "NOWHERE"})
		if tracking.ErrorCode(err) != tracking.EINVALID {
			t.Errorf("unknown location: err = %v, want invalid", err)
		}
		got := f.scan(t, tracking.Scan{ScanID: "future", Barcode: f.vol.Barcode, Location: "WARD7",
			ScannedAt: tracking.TimestampOf(f.now.Add(time.Hour))})
		if !got.TimeAdjusted || !got.ScannedAt.Equal(f.now) {
			t.Errorf("future scan: adjusted=%v scanned_at=%v", got.TimeAdjusted, got.ScannedAt)
		}
		scans, err := f.svc.FindScans(ctx, tracking.ScanFilter{Result: tracking.ResultError})
		if err != nil || len(scans) != 2 {
			t.Errorf("failed scans kept = %d, %v; want 2", len(scans), err)
		}
	})
}

// Concurrent scans of one volume from many devices, in random order and
// with random (often equal) scan times, must leave the volume where a
// replay of its history in scan-time order puts it.
func TestConcurrentScansMatchReplay(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		codes := []string{"LIB", "WARD7", "WARD9"}
		for round := 0; round < 3; round++ {
			rng := rand.New(rand.NewPCG(uint64(round), 7))
			var wg sync.WaitGroup
			for i := 0; i < 40; i++ {
				sc := tracking.Scan{ScanID: fmt.Sprintf("r%d-%d", round, i), Barcode: f.vol.Barcode,
					Location:  codes[rng.IntN(len(codes))],
					ScannedAt: tracking.TimestampOf(f.now.Add(time.Duration(rng.IntN(20)) * time.Second))}
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := f.svc.RecordScan(ctx, porter, sc); err != nil {
						t.Errorf("scan: %v", err)
					}
				}()
			}
			wg.Wait()
			ms, err := f.svc.FindMovements(ctx, porter, f.vol.Barcode)
			if err != nil {
				t.Fatal(err)
			}
			if !sort.SliceIsSorted(ms, func(i, j int) bool { return ms[i].ScannedAt.Before(ms[j].ScannedAt.Time) }) {
				t.Fatalf("movements not in scan-time order")
			}
			if len(ms) != 40*(round+1) {
				t.Fatalf("round %d: %d movements, want %d", round, len(ms), 40*(round+1))
			}
			want, since := ms[len(ms)-1].To, ms[len(ms)-1].ScannedAt
			for i := len(ms) - 1; i >= 0 && ms[i].To == want; i-- {
				since = ms[i].ScannedAt
			}
			v, err := f.svc.FindVolume(ctx, porter, f.vol.Barcode)
			if err != nil {
				t.Fatal(err)
			}
			if v.Current.Code != want || !v.Since.Equal(since.Time) {
				t.Fatalf("round %d: volume at %s since %v, replay says %s since %v", round, v.Current.Code, v.Since, want, since)
			}
			f.now = f.now.Add(time.Hour)
		}
	})
}

// The same scans sent by many clients at once, alone and in overlapping
// batches (a device retrying while its first attempt is still in flight):
// each scan id is stored once, moves the volume once, and every copy of
// its answer is the same bytes.
func TestConcurrentRepeatsStoreOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		const ids = 30
		scans := make([]tracking.Scan, ids)
		for i := range scans {
			scans[i] = tracking.Scan{ScanID: fmt.Sprintf("retry-%d", i), Barcode: f.vol.Barcode,
				Location:  []string{"WARD7", "WARD9"}[i%2],
				ScannedAt: tracking.TimestampOf(f.now.Add(time.Duration(i) * time.Second))}
		}
		var mu sync.Mutex
		answers := map[string][][]byte{}
		keep := func(recs ...*tracking.ScanRecord) {
			mu.Lock()
			defer mu.Unlock()
			for _, r := range recs {
				answers[r.Scan.ScanID] = append(answers[r.Scan.ScanID], r.Response)
			}
		}
		var wg sync.WaitGroup
		for c := 0; c < 6; c++ {
			wg.Go(func() { // one at a time, in order
				for _, sc := range scans {
					rec, err := f.svc.RecordScan(ctx, porter, sc)
					if err != nil {
						t.Errorf("scan %s: %v", sc.ScanID, err)
						return
					}
					keep(rec)
				}
			})
			wg.Go(func() { // a batch of a stretch of them
				lo := c * ids / 6
				recs, _, err := f.svc.RecordScans(ctx, porter, slices.Clone(scans[lo:min(lo+ids/2, ids)]))
				if err != nil {
					t.Errorf("batch from %d: %v", lo, err)
					return
				}
				keep(recs...)
			})
		}
		wg.Wait()
		ms, err := f.svc.FindMovements(ctx, porter, f.vol.Barcode)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, m := range ms {
			seen[m.ScanID]++
		}
		for _, sc := range scans {
			if seen[sc.ScanID] != 1 {
				t.Errorf("scan %s made %d movements, want 1", sc.ScanID, seen[sc.ScanID])
			}
			got := answers[sc.ScanID]
			for _, a := range got[1:] {
				if !bytes.Equal(a, got[0]) {
					t.Errorf("scan %s answered differently:\n%s\n%s", sc.ScanID, got[0], a)
					break
				}
			}
		}
		if len(ms) != ids {
			t.Errorf("%d movements, want %d", len(ms), ids)
		}
		if code := f.currentCode(t); code != scans[ids-1].Location {
			t.Errorf("volume at %s, want %s (the latest scan)", code, scans[ids-1].Location)
		}
	})
}

// A late scan slotted in before the current run of movements changes when
// the volume is said to have arrived where it is.
func TestLateScanMovesSince(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		at := func(h, m int) tracking.Timestamp {
			return tracking.TimestampOf(time.Date(2026, 11, 22, h, m, 0, 0, time.UTC))
		}
		f.scan(t, tracking.Scan{ScanID: "e2", Barcode: f.vol.Barcode, Location: "WARD9", ScannedAt: at(8, 0)})
		f.scan(t, tracking.Scan{ScanID: "e4", Barcode: f.vol.Barcode, Location: "WARD9", ScannedAt: at(8, 40)})
		got := f.scan(t, tracking.Scan{ScanID: "e5", Barcode: f.vol.Barcode, Location: "WARD7", ScannedAt: at(8, 20)})
		if got.Result != tracking.ResultRecordedLate {
			t.Fatalf("late scan: %+v", got)
		}
		v, err := f.svc.FindVolume(context.Background(), porter, f.vol.Barcode)
		if err != nil {
			t.Fatal(err)
		}
		if v.Current.Code != "WARD9" || !v.Since.Equal(at(8, 40).Time) {
			t.Errorf("volume at %s since %v, want WARD9 since 08:40", v.Current.Code, v.Since)
		}
	})
}

// A lone scan decided from a volume state that another scan has since
// changed must not be written as decided: it is taken again under the
// volume's row lock and answered from the state it finds there.
func TestStaleSingleScanIsDecidedAgain(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		stale, err := f.svc.Store.FindVolumeByBarcode(ctx, f.vol.Barcode)
		if err != nil {
			t.Fatal(err)
		}
		arrived := f.now
		f.scan(t, tracking.Scan{ScanID: "first", Barcode: f.vol.Barcode, Location: "WARD7"})
		f.now = f.now.Add(time.Minute)
		rec := staleScan(stale, f.wardA, tracking.TimestampOf(f.now))
		if err := f.svc.Store.RecordScans(ctx, resolved{rec}); err != nil {
			t.Fatal(err)
		}
		got := decodeResult(t, rec.Response)
		if got.Result != tracking.ResultAlreadyHere || got.PreviousLocation == nil || got.PreviousLocation.Code != "WARD7" {
			t.Fatalf("stale scan answered %s", rec.Response)
		}
		v, err := f.svc.FindVolume(ctx, porter, f.vol.Barcode)
		if err != nil {
			t.Fatal(err)
		}
		if v.Current.Code != "WARD7" || !v.Since.Equal(arrived) {
			t.Errorf("volume at %s since %v, want WARD7 since %v", v.Current.Code, v.Since, arrived)
		}
		if ms, _ := f.svc.FindMovements(ctx, porter, f.vol.Barcode); len(ms) != 2 {
			t.Errorf("%d movements, want 2", len(ms))
		}
	})
}

// Late scans around the start of a long stay: where the stay began is found
// by walking back through more stored movements than one page holds.
func TestLateScansAroundLongStay(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		at := func(m int) tracking.Timestamp {
			return tracking.TimestampOf(time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC).Add(time.Duration(m) * time.Minute))
		}
		since := func() time.Time {
			v, err := f.svc.FindVolume(context.Background(), porter, f.vol.Barcode)
			if err != nil {
				t.Fatal(err)
			}
			if v.Current.Code != "WARD7" {
				t.Fatalf("volume at %s, want WARD7", v.Current.Code)
			}
			return v.Since.Time
		}
		f.scan(t, tracking.Scan{ScanID: "first", Barcode: f.vol.Barcode, Location: "WARD7", ScannedAt: at(0)})
		f.scan(t, tracking.Scan{ScanID: "away", Barcode: f.vol.Barcode, Location: "WARD9", ScannedAt: at(10)})
		for i := 0; i < 70; i++ {
			f.scan(t, tracking.Scan{ScanID: fmt.Sprintf("stay-%d", i), Barcode: f.vol.Barcode, Location: "WARD7", ScannedAt: at(60 + i)})
		}
		// Before the time away: the stay still began at 09:00.
		if got := f.scan(t, tracking.Scan{ScanID: "late-5", Barcode: f.vol.Barcode, Location: "WARD7", ScannedAt: at(5)}); got.Result != tracking.ResultRecordedLate {
			t.Fatalf("late scan: %+v", got)
		}
		if s := since(); !s.Equal(at(60).Time) {
			t.Errorf("after a scan before the time away: since %v, want %v", s, at(60))
		}
		// After it: the stay now begins at 08:30.
		f.scan(t, tracking.Scan{ScanID: "late-30", Barcode: f.vol.Barcode, Location: "WARD7", ScannedAt: at(30)})
		if s := since(); !s.Equal(at(30).Time) {
			t.Errorf("after a scan during the time away: since %v, want %v", s, at(30))
		}
	})
}
