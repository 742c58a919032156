package tracking

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestReconcileSweep(t *testing.T) {
	t.Parallel()
	start := at(0)
	tests := []struct {
		name      string
		sightings []SweepSighting
		recorded  []RecordedVolume
		want      []SweepResult
	}{
		{"SeenInOrderFirstSighted", []SweepSighting{{VolumeID: 2, WasAt: 0}, {VolumeID: 1, WasAt: 0}, {VolumeID: 2, WasAt: 0}}, nil,
			[]SweepResult{{Seq: 1, VolumeID: 2, Outcome: OutcomeSeen, WasAt: 0}, {Seq: 2, VolumeID: 1, Outcome: OutcomeSeen, WasAt: 0}}},
		{"CorrectedFromWhereItWas", []SweepSighting{{VolumeID: 1, WasAt: 0}, {VolumeID: 1, WasAt: 7}}, nil,
			[]SweepResult{{Seq: 1, VolumeID: 1, Outcome: OutcomeCorrected, WasAt: 7}}},
		{"NotSeenWhenThereAtTheStart", nil, []RecordedVolume{{VolumeID: 3, Since: at(-60), LastScanAt: at(-60)}},
			[]SweepResult{{Seq: 1, VolumeID: 3, Outcome: OutcomeNotSeen, WasAt: 0}}},
		{"NeverScannedCounts", nil, []RecordedVolume{{VolumeID: 3, Since: at(-60)}},
			[]SweepResult{{Seq: 1, VolumeID: 3, Outcome: OutcomeNotSeen, WasAt: 0}}},
		{"ArrivedDuringTheSweep", nil, []RecordedVolume{{VolumeID: 3, Since: at(5), LastScanAt: at(5)}}, nil},
		{"ScannedDuringTheSweep", nil, []RecordedVolume{{VolumeID: 3, Since: at(-60), LastScanAt: at(5)}}, nil},
		{"SeenIsNotAlsoNotSeen", []SweepSighting{{VolumeID: 3, WasAt: 0}}, []RecordedVolume{{VolumeID: 3, Since: at(-60)}},
			[]SweepResult{{Seq: 1, VolumeID: 3, Outcome: OutcomeSeen, WasAt: 0}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ReconcileSweep(start, tc.sightings, tc.recorded); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSweepIDJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want SweepID
		ok   bool
	}{{`12`, 12, true}, {`"12"`, 12, true}, {`null`, 0, true}, {`"x"`, 0, false}, {`-1`, 0, false}, {`1.5`, 0, false}} {
		var sc Scan
		err := json.Unmarshal([]byte(`{"sweep":`+tc.in+`}`), &sc)
		if (err == nil) != tc.ok || err == nil && sc.Sweep != tc.want {
			t.Errorf("sweep %s: %d, %v", tc.in, sc.Sweep, err)
		}
		if e, isOurs := err.(*Error); err != nil && (!isOurs || e.Field != "sweep") {
			t.Errorf("sweep %s: error %v does not name the field", tc.in, err)
		}
	}
}

// sweepFixture is the scan fixture with a library bay LIB-A holding a
// shelf LIB-A1, and six more patients' volumes.
type sweepFixture struct {
	*scanFixture
	bay, shelf *Location
	v          []*Volume
}

func newSweepFixture(t *testing.T) *sweepFixture {
	t.Helper()
	f := &sweepFixture{scanFixture: newScanFixture(t)}
	ctx := context.Background()
	f.bay = &Location{Code: "LIB-A", Name: "Bay A", Kind: KindLibrary, ParentCode: "LIB"}
	f.shelf = &Location{Code: "LIB-A1", Name: "Shelf A1", Kind: KindLibrary, ParentCode: "LIB-A"}
	for _, l := range []*Location{f.bay, f.shelf} {
		if err := f.s.CreateLocation(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 6; i++ {
		p := &Patient{HospitalNumber: fmt.Sprintf("10%04d", i), FamilyName: "Sweep"}
		if err := f.s.CreatePatient(ctx, clerk, p, "LIB-A"); err != nil {
			t.Fatal(err)
		}
		f.v = append(f.v, p.Volumes[0])
	}
	return f
}

// sweepScan records a scan for the sweep and returns its answer and error.
func (f *sweepFixture) sweepScan(t *testing.T, id SweepID, barcode, location string) (ScanResult, error) {
	t.Helper()
	recs, errs, err := f.s.RecordScans(context.Background(), porter, []Scan{{Barcode: barcode, Location: location, Sweep: id}})
	if err != nil {
		t.Fatalf("sweep scan of %s: %v", barcode, err)
	}
	return answer(t, recs[0].Response), errs[0]
}

// A sweep of a bay: a folder on the bay is seen; one recorded on a ward
// is booked here (corrected, from the ward); one on a shelf inside the bay
// is seen and stays on its shelf; one recorded here that nobody scanned is
// not seen, but one that arrived during the sweep is not missed by it; an
// unknown barcode is listed.
func TestSweepOfABay(t *testing.T) {
	t.Parallel()
	f := newSweepFixture(t)
	ctx := context.Background()
	f.scan(t, "to-ward", f.v[1].Barcode, "WARD7")
	f.scan(t, "to-shelf", f.v[2].Barcode, "LIB-A1")
	f.s.Now = func() time.Time { return at(10) }
	sw, err := f.s.StartSweep(ctx, records, "lib-a")
	if err != nil || sw.Status != SweepOpen || sw.Location.Code != "LIB-A" {
		t.Fatalf("start: %+v, %v", sw, err)
	}
	f.s.Now = func() time.Time { return at(20) }
	f.scan(t, "arrives", f.v[4].Barcode, "LIB-A")
	for i, want := range []struct {
		barcode string
		result  Result
		at      string
	}{{f.v[0].Barcode, ResultAlreadyHere, "LIB-A"}, {f.v[1].Barcode, ResultMoved, "LIB-A"},
		{f.v[2].Barcode, ResultAlreadyHere, "LIB-A1"}, {"NOT-A-FOLDER", ResultUnknown, ""}} {
		got, err := f.sweepScan(t, sw.ID, want.barcode, "")
		if err != nil || got.Result != want.result || want.at != "" && got.Volume.Current.Code != want.at {
			t.Errorf("sweep scan %d: %+v, %v; want %s at %s", i, got, err, want.result, want.at)
		}
	}
	if c, _ := f.s.FindSweep(ctx, sw.ID); c.Counts != (SweepCounts{Seen: 3, Corrected: 1, Unknown: 1}) {
		t.Errorf("live counts %+v", c.Counts)
	}
	rep, err := f.s.FinishSweep(ctx, records, sw.ID)
	if err != nil {
		t.Fatal(err)
	}
	checkBayReport(t, f, rep)
	if _, err := f.s.FinishSweep(ctx, records, sw.ID); ErrorCode(err) != ECONFLICT {
		t.Errorf("finishing twice: %v, want 409", err)
	}
	if _, err := f.sweepScan(t, sw.ID, f.v[5].Barcode, ""); fieldOf(err) != "sweep" {
		t.Errorf("scan for a finished sweep: %v, want 422 on sweep", err)
	}
}

func checkBayReport(t *testing.T, f *sweepFixture, rep *SweepReport) {
	t.Helper()
	barcodes := func(vs []*Volume) []string {
		var out []string
		for _, v := range vs {
			out = append(out, v.Barcode)
		}
		return out
	}
	if got, want := barcodes(rep.Seen), []string{f.v[0].Barcode, f.v[1].Barcode, f.v[2].Barcode}; !slices.Equal(got, want) {
		t.Errorf("seen %v, want %v", got, want)
	}
	if len(rep.Corrected) != 1 || rep.Corrected[0].Volume.Barcode != f.v[1].Barcode || rep.Corrected[0].WasAt.Code != "WARD7" {
		t.Errorf("corrected %+v", rep.Corrected)
	}
	if got, want := barcodes(rep.NotSeen), []string{f.v[3].Barcode, f.v[5].Barcode}; !slices.Equal(got, want) {
		t.Errorf("not seen %v, want %v", got, want)
	}
	if !slices.Equal(rep.Unknown, []string{"NOT-A-FOLDER"}) || rep.Status != SweepFinished || rep.Counts.NotSeen != 2 {
		t.Errorf("unknown %v, status %s, counts %+v", rep.Unknown, rep.Status, rep.Counts)
	}
	n := 0
	for _, a := range f.m.access {
		if a.Action == "sweep_report" {
			n++
		}
	}
	if n != 5 {
		t.Errorf("%d access-log entries for the report, want one per patient shown (5)", n)
	}
}

// A sweep scan may name only the sweep's own location, and only a sweep
// that exists.
func TestSweepScanErrors(t *testing.T) {
	t.Parallel()
	f := newSweepFixture(t)
	sw, err := f.s.StartSweep(context.Background(), records, "LIB-A")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		sweep    SweepID
		location string
		field    string
	}{
		{"ErrAnotherLocation", sw.ID, "WARD7", "location"},
		{"ErrShelfInsideIsStillAnother", sw.ID, "LIB-A1", "location"},
		{"ErrUnknownLocation", sw.ID, "NOWHERE", "location"},
		{"ErrNoSuchSweep", sw.ID + 1, "", "sweep"},
		{"SweepsOwnLocation", sw.ID, "LIB-A", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.sweepScan(t, tc.sweep, f.v[0].Barcode, tc.location)
			if fieldOf(err) != tc.field || err == nil && got.Result != ResultAlreadyHere {
				t.Errorf("%+v, %v; want an error on %q", got, err, tc.field)
			}
		})
	}
	if _, err := f.s.StartSweep(context.Background(), records, "NOWHERE"); fieldOf(err) != "location" {
		t.Errorf("sweep of an unknown location: %v", err)
	}
	if _, err := f.s.SweepReport(context.Background(), records, sw.ID); ErrorCode(err) != ECONFLICT {
		t.Errorf("report of an open sweep: %v, want 409", err)
	}
}
