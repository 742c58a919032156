package tracking

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// scanFixture is a service over a memStore holding a library, two wards and
// a patient with one volume, and a second patient with two.
type scanFixture struct {
	s      *Service
	m      *memStore
	vol    *Volume
	twoVol *Patient
}

func newScanFixture(t *testing.T) *scanFixture {
	t.Helper()
	s, m := newTestService()
	ctx := context.Background()
	for _, l := range []*Location{{Code: "LIB", Name: "Library", Kind: KindLibrary}, {Code: "WARD7", Name: "Ward 7", Kind: KindWard},
		{Code: "WARD9", Name: "Ward 9", Kind: KindWard}} {
		if err := s.CreateLocation(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	p := &Patient{HospitalNumber: "H1", NHSNumber: "9434765919", FamilyName: "Smith"}
	q := &Patient{HospitalNumber: "H2", NHSNumber: "4010232137", FamilyName: "Jones"}
	for _, pt := range []*Patient{p, q} {
		if err := s.CreatePatient(ctx, clerk, pt, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddVolume(ctx, clerk, "H2", VolumeInput{}); err != nil {
		t.Fatal(err)
	}
	return &scanFixture{s: s, m: m, vol: p.Volumes[0], twoVol: q}
}

// answer decodes a stored answer.
func answer(t *testing.T, b []byte) ScanResult {
	t.Helper()
	var r ScanResult
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("answer %s: %v", b, err)
	}
	return r
}

func (f *scanFixture) where(t *testing.T) string {
	t.Helper()
	v, err := f.m.FindVolumeByBarcode(context.Background(), f.vol.Barcode)
	if err != nil {
		t.Fatal(err)
	}
	return v.Current.Code
}

// One scan after another, each answered as API.md says and leaving the
// volume where the rules put it.
func TestRecordScanResults(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	bc := f.vol.Barcode
	ts := func(min int) Timestamp { return TimestampOf(at(min)) }
	steps := []struct {
		name  string
		scan  Scan
		want  Result
		here  string
		field string // the field an error names
	}{
		{"Moved", Scan{ScanID: "s1", Barcode: bc, Location: "WARD7", ScannedAt: ts(-10)}, ResultMoved, "WARD7", ""},
		{"AlreadyHere", Scan{ScanID: "s2", Barcode: strings.ToLower(bc), Location: "ward7", ScannedAt: ts(-9)}, ResultAlreadyHere, "WARD7", ""},
		{"LocationSet", Scan{ScanID: "s3", Barcode: LocationBarcode(3), Device: "hh1", ScannedAt: ts(-8)}, ResultLocationSet, "WARD7", ""},
		{"MovedByDeviceContext", Scan{ScanID: "s4", Barcode: bc, Device: "hh1", ScannedAt: ts(-7)}, ResultMoved, "WARD9", ""},
		{"RecordedLate", Scan{ScanID: "s5", Barcode: bc, Location: "LIB", ScannedAt: ts(-9)}, ResultRecordedLate, "WARD9", ""},
		{"Unknown", Scan{ScanID: "s6", Barcode: "ZZTOP-42"}, ResultUnknown, "WARD9", ""},
		{"RejectedCheckCharacter", Scan{ScanID: "s7", Barcode: bc[:9] + string('0'+('1'-bc[9])%10)}, ResultRejected, "WARD9", ""},
		{"AmbiguousNHSNumber", Scan{ScanID: "s8", Barcode: "4010232137", Location: "LIB"}, ResultAmbiguous, "WARD9", ""},
		{"MovedByNHSNumber", Scan{ScanID: "s9", Barcode: "9434765919", Location: "LIB", ScannedAt: ts(-1)}, ResultMoved, "LIB", ""},
		{"ErrNoLocation", Scan{ScanID: "s10", Barcode: bc}, ResultError, "LIB", "location"},
		{"ErrUnknownLocation", Scan{ScanID: "s11", Barcode: bc, Location: "NOWHERE"}, ResultError, "LIB", "location"},
		{"ErrScanIDTooLong", Scan{ScanID: strings.Repeat("x", 101), Barcode: bc, Location: "WARD7"}, ResultError, "LIB", "scan_id"},
		{"ErrControlInDevice", Scan{ScanID: "s13", Barcode: bc, Location: "WARD7", Device: "hh\x01"}, ResultError, "LIB", "device"},
		{"NoDeviceNoContext", Scan{ScanID: "s14", Barcode: LocationBarcode(2)}, ResultLocationSet, "LIB", ""},
	}
	for _, st := range steps {
		recs, errs, err := f.s.RecordScans(context.Background(), porter, []Scan{st.scan})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := recs[0], errs[0]
		got := answer(t, rec.Response)
		if got.Result != st.want || (err != nil) != (st.field != "") {
			t.Errorf("%s: %s (%s), err %v; want %s", st.name, got.Result, got.Message, err, st.want)
		}
		if e, ok := err.(*Error); st.field != "" && (!ok || e.Field != st.field || got.Error == nil || got.Error.Field != st.field) {
			t.Errorf("%s: error %v, answer %s; want the field %s named", st.name, err, rec.Response, st.field)
		}
		if here := f.where(t); here != st.here {
			t.Errorf("%s: volume at %s, want %s", st.name, here, st.here)
		}
	}
	if n := len(f.m.devices); n != 1 {
		t.Errorf("%d device contexts set, want 1 (a location scan with no device sets none)", n)
	}
}

// A destroyed folder no longer exists: a scan of it is kept, answered
// rejected, and moves nothing. A device clock far ahead is not believed.
func TestScanRefusesDestroyedAndDistrustsFutureClock(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	ctx := context.Background()
	future := Scan{ScanID: "future", Barcode: f.vol.Barcode, Location: "WARD7", ScannedAt: TimestampOf(at(6))}
	rec, err := f.s.RecordScan(ctx, porter, future)
	if got := answer(t, rec.Response); err != nil || !got.TimeAdjusted || !got.ScannedAt.Equal(at(0)) || got.Result != ResultMoved {
		t.Errorf("six minutes ahead: %s, %v", rec.Response, err)
	}
	near := Scan{ScanID: "near", Barcode: f.vol.Barcode, Location: "WARD9", ScannedAt: TimestampOf(at(4))}
	if rec, _ := f.s.RecordScan(ctx, porter, near); answer(t, rec.Response).TimeAdjusted {
		t.Errorf("four minutes ahead was adjusted: %s", rec.Response)
	}
	f.m.volumes[f.vol.ID-1].Status = StatusDestroyed
	rec, err = f.s.RecordScan(ctx, porter, Scan{ScanID: "gone", Barcode: f.vol.Barcode, Location: "LIB", ScannedAt: TimestampOf(at(5))})
	if got := answer(t, rec.Response); err != nil || got.Result != ResultRejected || got.Volume == nil || !strings.Contains(got.Message, "destroyed") {
		t.Errorf("destroyed volume: %s, %v", rec.Response, err)
	}
	if here := f.where(t); here != "WARD9" {
		t.Errorf("destroyed volume moved to %s", here)
	}
}

// A scan id sent twice in one list is one scan, and one already stored
// is answered with its first answer: neither is resolved again, so
// neither can change the device's context the scans after them use.
func TestRecordScansRepeatsAndCopies(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	ctx := context.Background()
	bc := f.vol.Barcode
	first, err := f.s.RecordScan(ctx, porter, Scan{ScanID: "ward9", Barcode: LocationBarcode(3), Device: "hh1"})
	if err != nil {
		t.Fatal(err)
	}
	scans := []Scan{
		{ScanID: "ward7", Barcode: LocationBarcode(2), Device: "hh1"},
		{ScanID: "a", Barcode: bc, Device: "hh1"},
		{ScanID: "ward9", Barcode: LocationBarcode(3), Device: "hh1"}, // stored already
		{ScanID: "b", Barcode: bc, Device: "hh1"},
		{ScanID: "a", Barcode: LocationBarcode(1), Device: "hh1"}, // a copy of "a"
		{ScanID: "c", Barcode: bc, Device: "hh1"},
	}
	recs, errs, err := f.s.RecordScans(ctx, porter, scans)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, r := range recs {
		if errs[i] != nil {
			t.Fatalf("scan %d: %v", i, errs[i])
		}
		a := answer(t, r.Response)
		got = append(got, fmt.Sprintf("%s:%s@%s:%v", a.ScanID, a.Result, a.Location.Code, r.Repeat))
	}
	want := "[ward7:location_set@WARD7:false a:moved@WARD7:false ward9:location_set@WARD9:true b:already_here@WARD7:false " +
		"a:moved@WARD7:true c:already_here@WARD7:false]"
	if fmt.Sprint(got) != want {
		t.Errorf("answers %v\nwant    %s", got, want)
	}
	if !bytes.Equal(recs[2].Response, first.Response) || !bytes.Equal(recs[4].Response, recs[1].Response) {
		t.Errorf("a repeat or a copy was not answered with the first answer's bytes")
	}
	if n := len(f.m.kept); n != 5 {
		t.Errorf("%d scans kept, want 5 (the first and four new)", n)
	}
	if f.m.devices["hh1"].Code != "WARD7" {
		t.Errorf("device at %s after the list, want WARD7", f.m.devices["hh1"].Code)
	}
}

// A long list is taken a stage at a time, as the store asks: the device's
// context set in one stage books the scans of the next, and a stage's
// volumes are read at once, not one by one.
func TestRecordScansInStages(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	f.m.stage = 2
	clear(f.m.reads)
	var scans []Scan
	for i := range 9 {
		sc := Scan{ScanID: fmt.Sprint(i), Barcode: f.vol.Barcode, Device: "hh1", ScannedAt: TimestampOf(at(i - 20))}
		if i%3 == 0 {
			sc.Barcode = LocationBarcode(int64(1 + i/3))
		}
		scans = append(scans, sc)
	}
	recs, _, err := f.s.RecordScans(context.Background(), porter, scans)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range recs {
		a := answer(t, r.Response)
		got = append(got, string(a.Result)+"@"+a.Location.Code)
	}
	want := "[location_set@LIB already_here@LIB already_here@LIB location_set@WARD7 moved@WARD7 already_here@WARD7 " +
		"location_set@WARD9 moved@WARD9 already_here@WARD9]"
	if fmt.Sprint(got) != want {
		t.Errorf("answers %v\nwant    %s", got, want)
	}
	if n, single := f.m.reads["volumes"], f.m.reads["volume"]; n != 5 || single != 0 {
		t.Errorf("volumes read %d times at once and %d one by one; want once a stage (5) and never alone", n, single)
	}
}

// The review list merges each kept result newest first, up to the limit,
// and refuses a result that is not kept for review.
func TestReviewScans(t *testing.T) {
	t.Parallel()
	s, m := newTestService()
	for i, r := range []Result{ResultUnknown, ResultMoved, ResultRejected, ResultError, ResultUnknown, ResultAmbiguous} {
		m.kept = append(m.kept, &StoredScan{ScanID: fmt.Sprint(i), Result: r, Device: []string{"a", "b"}[i%2],
			ReceivedAt: TimestampOf(at(i))})
	}
	ctx := context.Background()
	tests := []struct {
		name   string
		result Result
		device string
		limit  int
		want   string
	}{
		{"AllKeptNewestFirst", "", "", 10, "[5 4 3 2 0]"},
		{"OneResult", ResultUnknown, "", 10, "[4 0]"},
		{"OneDevice", "", "a", 10, "[4 2 0]"},
		{"Limited", "", "", 2, "[5 4]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scans, err := s.ReviewScans(ctx, ScanFilter{Result: tt.result, Device: tt.device, Limit: tt.limit})
			var ids []string
			for _, sc := range scans {
				ids = append(ids, sc.ScanID)
			}
			if err != nil || fmt.Sprint(ids) != tt.want {
				t.Errorf("ReviewScans = %v, %v; want %s", ids, err, tt.want)
			}
		})
	}
	if _, err := s.ReviewScans(ctx, ScanFilter{Result: ResultMoved, Limit: 10}); ErrorCode(err) != EINVALID {
		t.Errorf("moved scans listed for review: %v", err)
	}
}

func TestScanLimit(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want int }{{0, 100}, {-1, 100}, {1, 1}, {1000, 1000}, {1001, 100}} {
		if got := scanLimit(tt.in); got != tt.want {
			t.Errorf("scanLimit(%d) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// scanIDs keeps the first record of each scan id and answers the copies
// with it, however often and wherever they come.
func TestScanIDsClaimOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		ids    []string
		claims string
	}{
		{"AllNew", []string{"a", "b", "c"}, "[true true true]"},
		{"CopyLater", []string{"a", "b", "a"}, "[true true false]"},
		{"ManyCopies", []string{"a", "a", "a", "b", "a"}, "[true false false true false]"},
		{"CaseMatters", []string{"a", "A"}, "[true true]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids := newScanIDs(len(tt.ids))
			var claims []bool
			var recs []*ScanRecord
			for _, id := range tt.ids {
				r := &ScanRecord{Scan: Scan{ScanID: id}}
				recs = append(recs, r)
				if c := ids.claim(r); c {
					r.Response = []byte(id + fmt.Sprint(len(recs)))
				} else {
					claims = append(claims, c)
					continue
				}
				claims = append(claims, true)
			}
			ids.answerCopies()
			if fmt.Sprint(claims) != tt.claims {
				t.Errorf("claims %v, want %s", claims, tt.claims)
			}
			for _, r := range recs {
				if f := ids.first[r.Scan.ScanID]; !bytes.Equal(r.Response, f.Response) || r.Repeat != (r != f) {
					t.Errorf("%s answered %q (repeat %v), first answered %q", r.Scan.ScanID, r.Response, r.Repeat, f.Response)
				}
			}
		})
	}
}
