package db_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db"
	"github.com/casetrack/casetrack/tracking"
)

// A batch must answer and store exactly what the same scans sent one at a
// time would: same results, same previous locations, same final places and
// histories. The scans are random: late ones, equal times, repeated scan
// ids, location barcodes setting the device's context between notes. The
// last batch is long enough to be stored in stages on SQLite, with repeats
// and device contexts that cross from one stage to the next.
func TestBatchEqualsOneAtATime(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		batch, single := newFixture(t, dialect), newFixture(t, dialect)
		for _, f := range []*fixture{batch, single} {
			addVolumes(t, f, 4)
		}
		for _, run := range []struct {
			seed uint64
			n    int
		}{{1, 120}, {2, 120}, {3, 1100}} {
			seed := run.seed
			scans := randomScans(batch, seed, run.n)
			ctx := context.Background()
			brecs, berrs, err := batch.svc.RecordScans(ctx, porter, scans)
			if err != nil {
				t.Fatal(err)
			}
			for i, sc := range scans {
				srec, serr := single.svc.RecordScan(ctx, porter, sc)
				if (berrs[i] == nil) != (serr == nil) {
					t.Fatalf("seed %d scan %d: batch err %v, single err %v", seed, i, berrs[i], serr)
				}
				if serr != nil {
					continue
				}
				b, s := decodeResult(t, brecs[i].Response), decodeResult(t, srec.Response)
				if summary(b) != summary(s) {
					t.Fatalf("seed %d scan %d (%+v):\nbatch  %s\nsingle %s", seed, i, sc, summary(b), summary(s))
				}
			}
			batch.now, single.now = batch.now.Add(time.Hour), single.now.Add(time.Hour)
		}
		for _, code := range []string{"LIB", "WARD7", "WARD9"} {
			bl, sl := volumesAt(t, batch, code), volumesAt(t, single, code)
			if bl != sl {
				t.Errorf("%s: batch has %s, single has %s", code, bl, sl)
			}
		}
	})
}

func addVolumes(t *testing.T, f *fixture, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		p := &tracking.Patient{HospitalNumber: fmt.Sprintf("B%d", i), FamilyName: "Batch"}
		if err := f.svc.CreatePatient(context.Background(), porter, p, ""); err != nil {
			t.Fatal(err)
		}
	}
}

func randomScans(f *fixture, seed uint64, n int) []tracking.Scan {
	rng := rand.New(rand.NewPCG(seed, 99))
	barcodes := []string{tracking.VolumeBarcode(1), tracking.VolumeBarcode(2), tracking.VolumeBarcode(3), tracking.VolumeBarcode(4), tracking.VolumeBarcode(5)}
	codes := []string{"LIB", "WARD7", "WARD9", ""}
	var scans []tracking.Scan
	for i := 0; i < n; i++ {
		sc := tracking.Scan{ScanID: fmt.Sprintf("s%d-%d", seed, rng.IntN(n)), Device: "hh1",
			ScannedAt: tracking.TimestampOf(f.now.Add(-time.Duration(rng.IntN(30)) * time.Second))}
		switch rng.IntN(10) {
		case 0:
			sc.Barcode = tracking.LocationBarcode(int64(1 + rng.IntN(3)))
		default:
			sc.Barcode = barcodes[rng.IntN(len(barcodes))]
			sc.Location = codes[rng.IntN(len(codes))]
		}
		scans = append(scans, sc)
	}
	return scans
}

func summary(r tracking.ScanResult) string {
	s := fmt.Sprintf("%s %s", r.ScanID, r.Result)
	if r.Volume != nil && r.Volume.Current != nil {
		s += " now@" + r.Volume.Current.Code
	}
	if r.Location != nil {
		s += " to@" + r.Location.Code
	}
	if r.PreviousLocation != nil {
		s += " from@" + r.PreviousLocation.Code
	}
	return s
}

func volumesAt(t *testing.T, f *fixture, code string) string {
	t.Helper()
	_, vols, err := f.svc.VolumesAt(context.Background(), porter, code)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, v := range vols {
		out = append(out, v.Barcode)
	}
	return fmt.Sprint(out)
}

// A batch of several chunks, as a memory scanner uploads after a day's
// round: one location scan, then over a thousand notes, many booked to its
// context, late and repeated among them. On PostgreSQL its chunks are
// written overlapped, and must still answer and leave what one scan at a
// time would.
func TestLongBatchEqualsOneAtATime(t *testing.T) {
	// Once with the device's context set only at the start (chunks written
	// overlapped on PostgreSQL), once with it changing in several chunks
	// (written one after another).
	for _, moveEvery := range []int{0, 240} {
		t.Run(fmt.Sprintf("context every %d", moveEvery), func(t *testing.T) { longBatch(t, moveEvery) })
	}
}

func longBatch(t *testing.T, moveEvery int) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		batch, single := newFixture(t, dialect), newFixture(t, dialect)
		for _, f := range []*fixture{batch, single} {
			addVolumes(t, f, 4)
		}
		rng := rand.New(rand.NewPCG(7, 7))
		barcodes := []string{tracking.VolumeBarcode(1), tracking.VolumeBarcode(2), tracking.VolumeBarcode(3), tracking.VolumeBarcode(4), tracking.VolumeBarcode(5)}
		codes := []string{"LIB", "WARD7", "WARD9", "", ""}
		scans := []tracking.Scan{{ScanID: "round-start", Device: "hh1", Barcode: tracking.LocationBarcode(2)}}
		for i := 0; i < 1100; i++ {
			sc := tracking.Scan{ScanID: fmt.Sprintf("r-%d", rng.IntN(1000)), Device: "hh1",
				Barcode: barcodes[rng.IntN(len(barcodes))], Location: codes[rng.IntN(len(codes))],
				ScannedAt: tracking.TimestampOf(batch.now.Add(-time.Duration(rng.IntN(600)) * time.Second))}
			if moveEvery > 0 && i%moveEvery == moveEvery/2 {
				// The porter moves on: the device's context changes in
				// several of the batch's chunks.
				sc = tracking.Scan{ScanID: fmt.Sprintf("loc-%d", i), Device: "hh1", Barcode: tracking.LocationBarcode(int64(1 + i/moveEvery%3))}
			}
			scans = append(scans, sc)
		}
		ctx := context.Background()
		brecs, berrs, err := batch.svc.RecordScans(ctx, porter, scans)
		if err != nil {
			t.Fatal(err)
		}
		for i, sc := range scans {
			srec, serr := single.svc.RecordScan(ctx, porter, sc)
			if (berrs[i] == nil) != (serr == nil) {
				t.Fatalf("scan %d: batch err %v, single err %v", i, berrs[i], serr)
			}
			if serr != nil {
				continue
			}
			b, s := decodeResult(t, brecs[i].Response), decodeResult(t, srec.Response)
			if summary(b) != summary(s) {
				t.Fatalf("scan %d (%+v):\nbatch  %s\nsingle %s", i, sc, summary(b), summary(s))
			}
		}
		// The device's context is the batch's last location scan's.
		after := tracking.Scan{ScanID: "after", Device: "hh1", Barcode: barcodes[0]}
		ba, bs := batch.scan(t, after), single.scan(t, after)
		if summary(ba) != summary(bs) {
			t.Fatalf("after the batch:\nbatch  %s\nsingle %s", summary(ba), summary(bs))
		}
		for _, code := range []string{"LIB", "WARD7", "WARD9"} {
			if bl, sl := volumesAt(t, batch, code), volumesAt(t, single, code); bl != sl {
				t.Errorf("%s: batch has %s, single has %s", code, bl, sl)
			}
		}
		for _, bc := range barcodes[:4] {
			bm, err := batch.svc.FindMovements(ctx, porter, bc)
			if err != nil {
				t.Fatal(err)
			}
			sm, _ := single.svc.FindMovements(ctx, porter, bc)
			if len(bm) != len(sm) {
				t.Errorf("%s: batch has %d movements, single %d", bc, len(bm), len(sm))
			}
		}
	})
}

// When a stage of a batch on SQLite cannot be stored, nothing after it is
// stored, the call fails, and sending the batch again stores the rest
// once, in order, giving the stage already stored its first answers. The
// second stage fails as a lost database would: a trigger refuses one of
// its scans.
func TestFailedStageStopsTheBatch(t *testing.T) {
	f := newFixture(t, db.SQLite)
	const stage = 500 // a SQLite chunk
	scans := make([]tracking.Scan, 3*stage)
	for i := range scans {
		scans[i] = tracking.Scan{ScanID: fmt.Sprintf("st-%d", i), Barcode: f.vol.Barcode,
			Location: []string{"WARD7", "WARD9"}[i%2], ScannedAt: tracking.TimestampOf(f.now.Add(time.Duration(i-len(scans)) * time.Second))}
	}
	g := f.svc.Store.(*db.DB).Gorm()
	if err := g.Exec(`CREATE TRIGGER lost BEFORE INSERT ON scans WHEN NEW.scan_id = 'st-700'
		BEGIN SELECT RAISE(ABORT, 'the database is unavailable'); END`).Error; err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, _, err := f.svc.RecordScans(ctx, porter, scans); err == nil {
		t.Fatal("a batch whose second stage failed was acknowledged")
	}
	if n := storedScans(t, f); n != stage {
		t.Fatalf("%d scans stored, want the first stage's %d", n, stage)
	}
	if err := g.Exec("DROP TRIGGER lost").Error; err != nil {
		t.Fatal(err)
	}
	recs, errs, err := f.svc.RecordScans(ctx, porter, scans)
	if err != nil {
		t.Fatal(err)
	}
	for i, rec := range recs {
		if errs[i] != nil {
			t.Fatalf("scan %d: %v", i, errs[i])
		}
		if rec.Repeat != (i < stage) {
			t.Fatalf("scan %d: repeat %v on the second sending", i, rec.Repeat)
		}
	}
	if got, want := f.currentCode(t), "WARD9"; got != want {
		t.Errorf("the volume is at %s after the last scan, want %s", got, want)
	}
	if n := storedScans(t, f); n != len(scans) {
		t.Errorf("%d scans stored after sending again, want %d", n, len(scans))
	}
}

func storedScans(t *testing.T, f *fixture) int {
	t.Helper()
	var n int
	if err := f.svc.Store.(*db.DB).Gorm().Raw("SELECT count(*) FROM scans").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
