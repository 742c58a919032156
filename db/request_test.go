package db_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db"
	"github.com/casetrack/casetrack/tracking"
)

var clerk = tracking.Actor{Name: "clerk1", Role: tracking.RoleClerk}

// request asks for the fixture patient's notes at code by the time.
func (f *fixture) request(t *testing.T, code string, needed time.Time, volumes ...string) *tracking.Request {
	t.Helper()
	in := tracking.RequestInput{Location: code, NeededBy: needed.Format(time.RFC3339), Volumes: volumes}
	if len(volumes) == 0 {
		in.Patient = f.patient.HospitalNumber
	}
	r, err := f.svc.CreateRequest(context.Background(), clerk, in)
	if err != nil {
		t.Fatalf("create request: %v", err)
	}
	return r
}

func (f *fixture) findRequest(t *testing.T, id int64) *tracking.Request {
	t.Helper()
	r, err := f.svc.FindRequest(context.Background(), clerk, id)
	if err != nil {
		t.Fatalf("find request %d: %v", id, err)
	}
	return r
}

func (f *fixture) book(t *testing.T, id, barcode, code string) tracking.ScanResult {
	t.Helper()
	f.now = f.now.Add(time.Minute)
	return f.scan(t, tracking.Scan{ScanID: id, Barcode: barcode, Location: code, ScannedAt: tracking.TimestampOf(f.now)})
}

func TestRequestFulfilledByScan(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		r := f.request(t, "WARD9", f.now.Add(2*time.Hour))
		if r.Status != tracking.RequestOpen || len(r.Volumes) != 1 || r.Volumes[0].Barcode != f.vol.Barcode || r.Late {
			t.Fatalf("new request = %+v", r)
		}
		res := f.book(t, "s1", f.vol.Barcode, "WARD7")
		if len(res.Wanted) != 1 || res.Wanted[0].Request != r.ID || res.Wanted[0].Location.Code != "WARD9" || len(res.Fulfils) != 0 {
			t.Fatalf("scan at the wrong ward: wanted %+v, fulfils %v", res.Wanted, res.Fulfils)
		}
		res = f.book(t, "s2", f.vol.Barcode, "WARD9")
		if !slices.Equal(res.Fulfils, []int64{r.ID}) || len(res.Wanted) != 0 {
			t.Fatalf("scan at the right ward: fulfils %v, wanted %+v", res.Fulfils, res.Wanted)
		}
		got := f.findRequest(t, r.ID)
		if got.Status != tracking.RequestFulfilled || got.FulfilledAt == nil || got.Volumes[0].ArrivedAt == nil {
			t.Fatalf("after the scan: %+v", got)
		}
		events := []string{}
		for _, e := range got.History {
			events = append(events, e.Event)
		}
		if !slices.Equal(events, []string{"requested", "arrived", "fulfilled"}) {
			t.Errorf("history %v", events)
		}
		// The repeat is the first answer; nothing is fulfilled again.
		again := f.scan(t, tracking.Scan{ScanID: "s2", Barcode: f.vol.Barcode, Location: "WARD9"})
		if !slices.Equal(again.Fulfils, res.Fulfils) || len(f.findRequest(t, r.ID).History) != len(got.History) {
			t.Errorf("repeat: fulfils %v, history grew", again.Fulfils)
		}
		if res := f.book(t, "s3", f.vol.Barcode, "WARD7"); len(res.Wanted) != 0 || len(res.Fulfils) != 0 {
			t.Errorf("after fulfilment the volume is wanted nowhere: %+v", res)
		}
	})
}

func TestRequestForNotesAlreadyThere(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		r := f.request(t, "LIB", f.now.Add(-time.Hour))
		if r.Status != tracking.RequestFulfilled || r.Late || r.Volumes[0].ArrivedAt == nil {
			t.Fatalf("request for notes at the library = %+v", r)
		}
		late := f.request(t, "WARD7", f.now.Add(-time.Minute))
		if late.Status != tracking.RequestOpen || !late.Late {
			t.Fatalf("request needed a minute ago = %+v, want open and late", late)
		}
	})
}

func TestRequestOfSeveralVolumesSaysWhatIsStillToCome(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		v2, err := f.svc.AddVolume(ctx, porter, f.patient.HospitalNumber, tracking.VolumeInput{})
		if err != nil {
			t.Fatal(err)
		}
		closed := tracking.StatusClosed
		v3, _ := f.svc.AddVolume(ctx, porter, f.patient.HospitalNumber, tracking.VolumeInput{})
		if _, err := f.svc.UpdateVolume(ctx, porter, v3.Barcode, tracking.VolumeUpdate{Status: &closed}); err != nil {
			t.Fatal(err)
		}
		r := f.request(t, "WARD9", f.now.Add(time.Hour))
		if len(r.Volumes) != 2 {
			t.Fatalf("a whole request wants the volumes in use, not the closed one: %d volumes", len(r.Volumes))
		}
		res := f.book(t, "a", f.vol.Barcode, "WARD9")
		if len(res.Fulfils) != 0 || len(res.PartArrivals) != 1 || res.PartArrivals[0] != (tracking.PartArrival{Request: r.ID, Arrived: 1, Of: 2}) {
			t.Fatalf("first of two: %+v %+v", res.Fulfils, res.PartArrivals)
		}
		// The first volume leaving again still counts as arrived.
		f.book(t, "b", f.vol.Barcode, "WARD7")
		if res := f.book(t, "c", v2.Barcode, "WARD9"); !slices.Equal(res.Fulfils, []int64{r.ID}) {
			t.Fatalf("second of two: fulfils %v", res.Fulfils)
		}
	})
}

func TestLateScanNeitherFulfilsNorRoutes(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		f.book(t, "x", f.vol.Barcode, "WARD7")
		r := f.request(t, "WARD9", f.now.Add(time.Hour))
		res := f.scan(t, tracking.Scan{ScanID: "late", Barcode: f.vol.Barcode, Location: "WARD9",
			ScannedAt: tracking.TimestampOf(f.now.Add(-30 * time.Minute))})
		if res.Result != tracking.ResultRecordedLate || len(res.Fulfils) != 0 || len(res.Wanted) != 0 {
			t.Fatalf("late scan = %+v", res)
		}
		if got := f.findRequest(t, r.ID); got.Status != tracking.RequestOpen {
			t.Errorf("late scan changed the request to %s", got.Status)
		}
	})
}

func TestRequestForPatientWithoutNotesWantsTheNextVolume(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		destroyed := tracking.StatusDestroyed
		if _, err := f.svc.UpdateVolume(ctx, porter, f.vol.Barcode, tracking.VolumeUpdate{Status: &destroyed}); err != nil {
			t.Fatal(err)
		}
		r := f.request(t, "WARD9", f.now.Add(time.Hour))
		if r.Status != tracking.RequestOpen || len(r.Volumes) != 0 {
			t.Fatalf("a patient with only a destroyed volume has no notes to want: %+v", r)
		}
		v2, err := f.svc.AddVolume(ctx, porter, f.patient.HospitalNumber, tracking.VolumeInput{})
		if err != nil {
			t.Fatal(err)
		}
		if res := f.book(t, "n", v2.Barcode, "WARD9"); !slices.Equal(res.Fulfils, []int64{r.ID}) {
			t.Fatalf("the volume made after the request: fulfils %v", res.Fulfils)
		}
	})
}

func TestRequestInputErrors(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		other := &tracking.Patient{HospitalNumber: "H999", FamilyName: "Other"}
		if err := f.svc.CreatePatient(context.Background(), porter, other, ""); err != nil {
			t.Fatal(err)
		}
		soon := f.now.Add(time.Hour).Format(time.RFC3339)
		for _, tc := range []struct {
			name  string
			in    tracking.RequestInput
			field string
		}{
			{"UnknownPatient", tracking.RequestInput{Patient: "NOPE", Location: "WARD7", NeededBy: soon}, "patient"},
			{"UnknownLocation", tracking.RequestInput{Patient: "H123456", Location: "NOWHERE", NeededBy: soon}, "location"},
			{"UnknownVolume", tracking.RequestInput{Volumes: []string{"V999999999"}, Location: "WARD7", NeededBy: soon}, "volumes"},
			{"VolumeOfAnotherPatient", tracking.RequestInput{Patient: "H999", Volumes: []string{f.vol.Barcode}, Location: "WARD7", NeededBy: soon}, "volumes"},
			{"NoNeed", tracking.RequestInput{Patient: "H123456", Location: "WARD7"}, "needed_by"},
			{"BadNeed", tracking.RequestInput{Patient: "H123456", Location: "WARD7", NeededBy: "tomorrow"}, "needed_by"},
			{"BadPriority", tracking.RequestInput{Patient: "H123456", Location: "WARD7", NeededBy: soon, Priority: "asap"}, "priority"},
			{"Nothing", tracking.RequestInput{Location: "WARD7", NeededBy: soon}, "patient"},
		} {
			_, err := f.svc.CreateRequest(context.Background(), clerk, tc.in)
			var te *tracking.Error
			if tracking.ErrorCode(err) != tracking.EINVALID || !asError(err, &te) || te.Field != tc.field {
				t.Errorf("%s: err = %v, want invalid on %s", tc.name, err, tc.field)
			}
		}
	})
}

func TestCancelRequest(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		r := f.request(t, "WARD9", f.now.Add(time.Hour))
		got, err := f.svc.CancelRequest(ctx, clerk, r.ID)
		if err != nil || got.Status != tracking.RequestCancelled || got.CancelledBy != clerk.Name || got.CancelledAt == nil {
			t.Fatalf("cancel = %+v, %v", got, err)
		}
		if _, err := f.svc.CancelRequest(ctx, clerk, r.ID); tracking.ErrorCode(err) != tracking.ECONFLICT {
			t.Errorf("cancel twice: %v, want conflict", err)
		}
		if _, err := f.svc.CancelRequest(ctx, clerk, 9999); tracking.ErrorCode(err) != tracking.ENOTFOUND {
			t.Errorf("cancel unknown: %v, want not found", err)
		}
		if res := f.book(t, "c", f.vol.Barcode, "WARD9"); len(res.Fulfils) != 0 {
			t.Errorf("a cancelled request was fulfilled: %v", res.Fulfils)
		}
	})
}

// The open queue comes by need, urgent first at equal times; the flag a
// request sets on its volumes goes once no open request remains.
func TestRequestQueueOrderAndFlag(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		at := f.now.Add(3 * time.Hour).Format(time.RFC3339)
		mk := func(code, needed string, p tracking.Priority) int64 {
			r, err := f.svc.CreateRequest(ctx, clerk, tracking.RequestInput{Patient: "H123456", Location: code, NeededBy: needed, Priority: p})
			if err != nil {
				t.Fatal(err)
			}
			return r.ID
		}
		routine := mk("WARD7", at, tracking.PriorityRoutine)
		urgent := mk("WARD9", at, tracking.PriorityUrgent)
		earlier := mk("WARD9", f.now.Add(time.Hour).Format(time.RFC3339), tracking.PriorityRoutine)
		rs, err := f.svc.FindRequests(ctx, clerk, tracking.RequestFilter{Status: tracking.RequestOpen})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, r := range rs {
			ids = append(ids, r.ID)
		}
		if want := []int64{earlier, urgent, routine}; !slices.Equal(ids, want) {
			t.Fatalf("queue %v, want %v", ids, want)
		}
		res := f.book(t, "w9", f.vol.Barcode, "WARD9")
		if len(res.Fulfils) != 2 || len(res.Wanted) != 1 || res.Wanted[0].Request != routine {
			t.Fatalf("at WARD9: fulfils %v, wanted %+v", res.Fulfils, res.Wanted)
		}
		if !flagged(t, f, f.vol.ID) {
			t.Errorf("flag cleared while a request is still open")
		}
		f.book(t, "w7", f.vol.Barcode, "WARD7")
		if flagged(t, f, f.vol.ID) {
			t.Errorf("flag kept after the last open request was fulfilled")
		}
		ward7, _ := f.svc.FindLocation(ctx, "WARD7")
		rs, _ = f.svc.FindRequests(ctx, clerk, tracking.RequestFilter{LocationID: ward7.ID})
		if len(rs) != 1 || rs[0].ID != routine || rs[0].Status != tracking.RequestFulfilled {
			t.Errorf("by location: %+v", rs)
		}
	})
}

func flagged(t *testing.T, f *fixture, volumeID int64) bool {
	t.Helper()
	var v []bool
	if err := storeOf(f).Gorm().Raw("SELECT requested FROM volumes WHERE id = ?", volumeID).Scan(&v).Error; err != nil || len(v) != 1 {
		t.Fatalf("read flag: %v", err)
	}
	return v[0]
}

// Two volumes of one request scanned to its place at the same moment, on
// separate connections: whichever commits second reads the first one's
// arrival, so the request never stays open with both volumes there.
func TestConcurrentArrivalsFulfilOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		v2, err := f.svc.AddVolume(ctx, porter, f.patient.HospitalNumber, tracking.VolumeInput{})
		if err != nil {
			t.Fatal(err)
		}
		for round := 0; round < 15; round++ {
			for _, bc := range []string{f.vol.Barcode, v2.Barcode} {
				f.book(t, fmt.Sprintf("home-%d-%s", round, bc), bc, "LIB")
			}
			r := f.request(t, "WARD9", f.now.Add(time.Hour))
			var wg sync.WaitGroup
			fulfils := make([][]int64, 2)
			for i, bc := range []string{f.vol.Barcode, v2.Barcode} {
				wg.Go(func() {
					rec, err := f.svc.RecordScan(ctx, porter, tracking.Scan{ScanID: fmt.Sprintf("r%d-%d", round, i), Barcode: bc, Location: "WARD9"})
					if err != nil {
						t.Error(err)
						return
					}
					fulfils[i] = decodeResult(t, rec.Response).Fulfils
				})
			}
			wg.Wait()
			if got := f.findRequest(t, r.ID); got.Status != tracking.RequestFulfilled {
				t.Fatalf("round %d: both volumes arrived and the request is %s", round, got.Status)
			}
			if n := len(fulfils[0]) + len(fulfils[1]); n != 1 {
				t.Fatalf("round %d: %d answers say they fulfilled it, want exactly 1", round, n)
			}
		}
	})
}

// A request made while a lone scan of its volume is in flight: whatever
// the order, notes that end up at the place leave the request fulfilled.
func TestRequestRacingAScan(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		for round := 0; round < 20; round++ {
			f.book(t, fmt.Sprintf("back-%d", round), f.vol.Barcode, "LIB")
			var wg sync.WaitGroup
			var id int64
			wg.Go(func() {
				r, err := f.svc.CreateRequest(ctx, clerk, tracking.RequestInput{Patient: "H123456", Location: "WARD9",
					NeededBy: f.now.Add(time.Hour).Format(time.RFC3339)})
				if err != nil {
					t.Error(err)
					return
				}
				id = r.ID
			})
			wg.Go(func() {
				if _, err := f.svc.RecordScan(ctx, porter, tracking.Scan{ScanID: fmt.Sprintf("race-%d", round), Barcode: f.vol.Barcode, Location: "WARD9"}); err != nil {
					t.Error(err)
				}
			})
			wg.Wait()
			if got := f.findRequest(t, id); got.Status != tracking.RequestFulfilled {
				t.Fatalf("round %d: the notes are at WARD9 and the request is %s", round, got.Status)
			}
		}
	})
}

func storeOf(f *fixture) *db.DB { return f.svc.Store.(*db.DB) }

func asError(err error, te **tracking.Error) bool { return errors.As(err, te) }

// A merge moves the duplicate's open requests to the survivor and settles
// them again against the survivor's volumes; merging again is refused and
// changes nothing.
func TestMergeRequestsFollowTheSurvivor(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		survivor := &tracking.Patient{HospitalNumber: "H777", FamilyName: "Smith", GivenName: "Zoe"}
		if err := f.svc.CreatePatient(ctx, porter, survivor, "WARD9"); err != nil {
			t.Fatal(err)
		}
		r := f.request(t, "WARD9", f.now.Add(time.Hour))
		watch, stop := context.WithCancel(ctx)
		defer stop()
		news, _ := storeOf(f).WatchRequests(watch, "")
		time.Sleep(200 * time.Millisecond) // PostgreSQL's listener is listening
		if _, err := f.svc.MergePatient(ctx, librarian, f.patient.HospitalNumber, "H777", tracking.MergeByAPI); err != nil {
			t.Fatal(err)
		}
		got := f.findRequest(t, r.ID)
		if got.PatientID != survivor.ID || got.Status != tracking.RequestOpen || len(got.Volumes) != 2 {
			t.Fatalf("after the merge: %+v", got)
		}
		select {
		case n := <-news:
			if n.Request != r.ID || n.Event != "moved" {
				t.Errorf("news of the merge: %+v", n)
			}
		case <-time.After(10 * time.Second):
			t.Error("the merge sent no news of the request it moved")
		}
		history := len(got.History)
		if _, err := f.svc.MergePatient(ctx, librarian, f.patient.HospitalNumber, "H777", tracking.MergeByAPI); tracking.ErrorCode(err) != tracking.ECONFLICT {
			t.Errorf("merging again: %v, want a conflict", err)
		}
		if again := f.findRequest(t, r.ID); again.Status != tracking.RequestOpen || len(again.History) != history || again.PatientID != survivor.ID {
			t.Errorf("merging again changed the request: %+v", again)
		}
		if res := f.book(t, "m", f.vol.Barcode, "WARD9"); !slices.Equal(res.Fulfils, []int64{r.ID}) {
			t.Errorf("the duplicate's folder reaching the ward: fulfils %v", res.Fulfils)
		}
	})
}

// A request for a duplicate record with no notes is met by a merge into a
// survivor whose notes are already at the place, by hand or by an A40.
func TestMergeFulfilsARequestWhoseNotesAreThere(t *testing.T) {
	merges := map[string]func(f *fixture) error{
		"MergePatient": func(f *fixture) error {
			_, err := f.svc.MergePatient(context.Background(), librarian, "D5", f.patient.HospitalNumber, tracking.MergeByPage)
			return err
		},
		"A40": func(f *fixture) error {
			m := feedMessage("A40-1")
			m.Type = "ADT^A40"
			return f.svc.ApplyFeedMerge(context.Background(), m, f.patient.HospitalNumber, tracking.PatientChange{}, "D5")
		},
	}
	for name, merge := range merges {
		t.Run(name, func(t *testing.T) {
			forEachDialect(t, func(t *testing.T, dialect string) {
				f := newFixture(t, dialect)
				ctx := context.Background()
				f.book(t, "to-ward", f.vol.Barcode, "WARD9")
				if err := f.svc.ApplyFeedPatient(ctx, feedMessage("A28-1"), "D5", tracking.PatientChange{FamilyName: tracking.SetTo("Smith")}); err != nil {
					t.Fatal(err)
				}
				r, err := f.svc.CreateRequest(ctx, clerk, tracking.RequestInput{Patient: "D5", Location: "WARD9",
					NeededBy: f.now.Add(time.Hour).Format(time.RFC3339)})
				if err != nil || r.Status != tracking.RequestOpen {
					t.Fatalf("request for a record with no notes: %+v, %v", r, err)
				}
				if err := merge(f); err != nil {
					t.Fatal(err)
				}
				got := f.findRequest(t, r.ID)
				if got.Status != tracking.RequestFulfilled || got.PatientID != f.patient.ID || got.FulfilledAt == nil {
					t.Errorf("after the merge: %+v", got)
				}
			})
		})
	}
}

// A watcher that reconnects with the id of the last news it had hears what
// it missed; one this process cannot place is told to read everything
// again.
func TestWatchRequestsCatchesUp(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		d := storeOf(f)
		next := func(ch <-chan tracking.RequestChange) tracking.RequestChange {
			select {
			case n := <-ch:
				return n
			case <-time.After(10 * time.Second):
				t.Fatal("no news")
			}
			return tracking.RequestChange{}
		}
		ctx, stop := context.WithCancel(context.Background())
		ch, _ := d.WatchRequests(ctx, "")
		time.Sleep(200 * time.Millisecond) // PostgreSQL's listener is listening
		first := f.request(t, "WARD7", f.now.Add(time.Hour))
		got := next(ch)
		if got.Request != first.ID || got.ID == "" {
			t.Fatalf("news %+v", got)
		}
		stop()
		second := f.request(t, "WARD9", f.now.Add(time.Hour))
		time.Sleep(200 * time.Millisecond)
		again, _ := d.WatchRequests(t.Context(), got.ID)
		if n := next(again); n.Request != second.ID || n.Event != "created" {
			t.Errorf("after reconnecting: %+v, want news of request %d", n, second.ID)
		}
		stranger, _ := d.WatchRequests(t.Context(), "elsewhere-7")
		if n := next(stranger); !n.Resync {
			t.Errorf("news from another process's numbering: %+v, want a resync", n)
		}
	})
}

// A batch whose chunks bring the volumes of one request in turn meets it
// in list order: the scan that brings the last volume says so, whichever
// chunk commits first.
func TestBatchMeetsRequestInListOrder(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		v2, err := f.svc.AddVolume(ctx, porter, f.patient.HospitalNumber, tracking.VolumeInput{})
		if err != nil {
			t.Fatal(err)
		}
		r := f.request(t, "WARD9", f.now.Add(time.Hour))
		scans := make([]tracking.Scan, 1200)
		for i := range scans {
			to := []string{"LIB", "WARD7"}[i%2]
			bc := f.vol.Barcode
			switch i {
			case 100:
				bc, to = v2.Barcode, "WARD9"
			case 1100:
				to = "WARD9"
			}
			scans[i] = tracking.Scan{ScanID: fmt.Sprintf("batch-%d", i), Barcode: bc, Location: to,
				ScannedAt: tracking.TimestampOf(f.now.Add(time.Duration(i-2000) * time.Second))}
		}
		recs, errs, err := f.svc.RecordScans(ctx, porter, scans)
		if err != nil {
			t.Fatal(err)
		}
		for i, rec := range recs {
			if errs[i] != nil {
				t.Fatalf("scan %d: %v", i, errs[i])
			}
			res := decodeResult(t, rec.Response)
			switch {
			case i == 100 && (len(res.PartArrivals) != 1 || len(res.Fulfils) != 0):
				t.Errorf("scan 100: incomplete %v fulfils %v", res.PartArrivals, res.Fulfils)
			case i == 1100 && !slices.Equal(res.Fulfils, []int64{r.ID}):
				t.Errorf("scan 1100: fulfils %v", res.Fulfils)
			case i != 100 && i != 1100 && len(res.Fulfils) != 0:
				t.Errorf("scan %d fulfils %v", i, res.Fulfils)
			}
		}
	})
}

// Many access-log entries at once (a pull list's) are written whole.
func TestLogManyAccesses(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		d := storeOf(f)
		var entries []tracking.Access
		for i := 0; i < 250; i++ {
			entries = append(entries, tracking.Access{At: f.now, Actor: "many", ActorKind: tracking.ActorUser, Role: tracking.RoleClerk, Action: "view_pull_list",
				PatientID: f.patient.ID, Detail: fmt.Sprint(i)})
		}
		entries[7].PatientID = 0
		if err := d.LogAccess(context.Background(), entries); err != nil {
			t.Fatal(err)
		}
		got, err := d.FindAccessLog(context.Background(), tracking.AccessFilter{PatientID: f.patient.ID, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, a := range got {
			if a.Actor == "many" && a.Role == tracking.RoleClerk && a.At.Equal(f.now) && a.ActorKind == tracking.ActorUser {
				n++
			}
		}
		if n != 249 {
			t.Errorf("%d entries for the patient, want 249", n)
		}
	})
}

// A merge gives the duplicate's appointments to the survivor: the PAS
// sending one again under the survivor's number finds it unchanged,
// rather than taking it for another patient's and replacing its request.
func TestMergeMovesAppointments(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		survivor := &tracking.Patient{HospitalNumber: "H777", FamilyName: "Smith", GivenName: "Zoe"}
		if err := f.svc.CreatePatient(ctx, porter, survivor, "WARD9"); err != nil {
			t.Fatal(err)
		}
		in := tracking.AppointmentInput{ID: "PAS-1", Clinic: "WARD9", Patient: f.patient.HospitalNumber,
			Start: f.now.Add(24 * time.Hour).Format(time.RFC3339)}
		if out, err := f.svc.BookAppointment(ctx, librarian, in); err != nil || out != tracking.OutcomeAccepted {
			t.Fatalf("book: %s, %v", out, err)
		}
		if _, err := f.svc.MergePatient(ctx, librarian, f.patient.HospitalNumber, "H777", tracking.MergeByAPI); err != nil {
			t.Fatal(err)
		}
		in.Patient = "H777"
		if out, err := f.svc.BookAppointment(ctx, librarian, in); err != nil || out != tracking.OutcomeUnchanged {
			t.Fatalf("the same appointment under the survivor's number: %s, %v", out, err)
		}
	})
}
