package tracking

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"
)

// awkward are strings that exercise every escape encoding/json makes.
var awkward = []string{"", "plain", "Zoë O'Brien", `quote " and \ back`, "<b>&amp;</b>", "tab\tnew\nline\rcr",
	"\x00\x01\x1f\x7f", "\b\f", "bad \xff utf8 \xc3", "line\u2028para\u2029", "emoji 🏥", "\u00e9\u0301"}

func randomText(rng *rand.Rand) string {
	if rng.IntN(3) == 0 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		return string(b)
	}
	return awkward[rng.IntN(len(awkward))]
}

func randomTimestamp(rng *rand.Rand) Timestamp {
	switch rng.IntN(3) {
	case 0:
		return Timestamp{}
	case 1:
		return TimestampOf(time.Date(2026, 11, 22, 9, 30, rng.IntN(60), rng.IntN(1000)*int(time.Millisecond), time.UTC))
	}
	return TimestampOf(time.Date(1999+rng.IntN(40), 1, 2, 3, 4, 5, rng.IntN(1e9), time.FixedZone("x", 3600)))
}

func randomLocation(rng *rand.Rand) *Location {
	if rng.IntN(4) == 0 {
		return nil
	}
	l := &Location{ID: rng.Int64N(1e6), Code: randomText(rng), Name: randomText(rng), Kind: LocationKind(randomText(rng)),
		Barcode: randomText(rng), ParentID: 7, CreatedAt: time.Now()}
	if rng.IntN(2) == 0 {
		l.ParentCode, l.GLN, l.LegacyBarcode = randomText(rng), randomText(rng), randomText(rng)
	}
	if rng.IntN(3) == 0 {
		p := Period(time.Duration(rng.IntN(3)) * 36 * time.Hour)
		l.LoanPeriod = &p
	}
	return l
}

// randomRecord gives a volume what it carries when shown on its own.
func randomRecord(rng *rand.Rand, v *Volume) {
	if rng.IntN(3) == 0 {
		d := DateOf(time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC))
		v.Original, v.AmalgamatedInto, v.Due = randomText(rng), randomText(rng), &d
	}
	for n := rng.IntN(3); n > 0; n-- {
		v.StatusHistory = append(v.StatusHistory, &StatusChange{Status: VolumeStatus(randomText(rng)),
			From: VolumeStatus(randomText(rng)), Note: randomText(rng), By: randomText(rng), At: randomTimestamp(rng)})
	}
}

func randomVolume(rng *rand.Rand, depth int) *Volume {
	if rng.IntN(4) == 0 {
		return nil
	}
	v := &Volume{ID: 3, Barcode: randomText(rng), Number: rng.IntN(5), Count: rng.IntN(3), Status: VolumeStatus(randomText(rng)),
		Home: randomLocation(rng), Current: randomLocation(rng), Since: randomTimestamp(rng), LegacyCode: randomText(rng)}
	if rng.IntN(3) > 0 {
		p := &Patient{ID: rng.Int64N(1e6), HospitalNumber: randomText(rng), NHSNumber: randomText(rng),
			FamilyName: randomText(rng), GivenName: randomText(rng)}
		if rng.IntN(2) == 0 {
			d := DateOf(time.Date(1931, 12, 24, 0, 0, 0, 0, time.UTC))
			p.BirthDate, p.DeathDate = &d, &d
		}
		if depth == 0 && rng.IntN(3) == 0 {
			p.Volumes = []*Volume{randomVolume(rng, 1), randomVolume(rng, 1)}
		}
		v.Patient = p
	}
	randomRecord(rng, v)
	return v
}

func TestScanResultJSONMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 11))
	for i := 0; i < 5000; i++ {
		r := ScanResult{ScanID: randomText(rng), Result: Result(randomText(rng)), Volume: randomVolume(rng, 0),
			Location: randomLocation(rng), PreviousLocation: randomLocation(rng), ScannedAt: randomTimestamp(rng),
			ReceivedAt: randomTimestamp(rng), Message: randomText(rng), TimeAdjusted: rng.IntN(2) == 0, Found: rng.IntN(2) == 0}
		if rng.IntN(3) == 0 {
			r.Choices = []*Volume{randomVolume(rng, 0), randomVolume(rng, 0)}
		}
		if rng.IntN(3) == 0 {
			r.Error = &ScanError{Code: randomText(rng), Message: randomText(rng), Field: randomText(rng)}
		}
		randomRouting(rng, &r)
		if rng.IntN(3) == 0 {
			r.Relabel = &RelabelNotice{Merge: rng.Int64N(1e6), Message: randomText(rng)}
		}
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.AppendJSON(nil); !bytes.Equal(got, want) {
			t.Fatalf("AppendJSON differs from encoding/json\n got %s\nwant %s", got, want)
		}
	}
}

// Timestamps and dates write themselves by hand too; they must say what
// Format and String say, quoted.
func TestTimestampAndDateJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 1))
	for i := 0; i < 1000; i++ {
		ts := randomTimestamp(rng)
		want := []byte("null")
		if !ts.IsZero() {
			want, _ = json.Marshal(ts.Format())
		}
		if got, _ := ts.MarshalJSON(); !bytes.Equal(got, want) {
			t.Fatalf("timestamp %v: got %s, want %s", ts.Time, got, want)
		}
		d := DateOf(ts.Time)
		want, _ = json.Marshal(d.String())
		if got, _ := d.MarshalJSON(); !bytes.Equal(got, want) {
			t.Fatalf("date %v: got %s, want %s", d, got, want)
		}
	}
}

func FuzzScanResultJSON(f *testing.F) {
	for _, s := range awkward {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := ScanResult{ScanID: s, Result: ResultMoved, Message: s, Location: &Location{Name: s},
			Volume: &Volume{Barcode: s, Patient: &Patient{FamilyName: s}}}
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.AppendJSON(nil); !bytes.Equal(got, want) {
			t.Fatalf("AppendJSON differs from encoding/json\n got %s\nwant %s", got, want)
		}
	})
}

// randomRouting gives an answer what a scan may say about requests.
func randomRouting(rng *rand.Rand, r *ScanResult) {
	for n := rng.IntN(3); n > 0; n-- {
		r.Fulfils = append(r.Fulfils, rng.Int64N(1e9))
	}
	for n := rng.IntN(3); n > 0; n-- {
		r.Wanted = append(r.Wanted, WantedAt{Request: rng.Int64N(1e6), Location: randomLocation(rng),
			NeededBy: randomTimestamp(rng), Priority: Priority(randomText(rng))})
	}
	for n := rng.IntN(3); n > 0; n-- {
		r.PartArrivals = append(r.PartArrivals, PartArrival{Request: rng.Int64N(1e6), Arrived: rng.IntN(4), Of: rng.IntN(9)})
	}
}
