package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

type scanResult struct {
	ScanID           string    `json:"scan_id"`
	Result           string    `json:"result"`
	Volume           *volume   `json:"volume"`
	Location         *location `json:"location"`
	PreviousLocation *location `json:"previous_location"`
	ScannedAt        string    `json:"scanned_at"`
	Error            *struct{ Code, Message string }
}

// seed makes LIB, WARD7 and CLINIC1 and n patients, returning the volumes'
// barcodes and the locations.
func seed(t *testing.T, s *testServer, token string, n int) ([]string, map[string]location) {
	t.Helper()
	locs := map[string]location{}
	for _, l := range []struct{ code, kind string }{{"LIB", "library"}, {"WARD7", "ward"}, {"CLINIC1", "clinic"}} {
		var got location
		if st := s.call(token, "POST", "/api/v1/locations", map[string]string{"code": l.code, "name": l.code, "kind": l.kind}, &got); st != 201 {
			t.Fatalf("seed location %s: %d", l.code, st)
		}
		locs[l.code] = got
	}
	var barcodes []string
	for i := 0; i < n; i++ {
		var p patient
		if st := s.call(token, "POST", "/api/v1/patients", map[string]string{"hospital_number": fmt.Sprintf("H%06d", i),
			"family_name": "Patient", "given_name": fmt.Sprint(i)}, &p); st != 201 {
			t.Fatalf("seed patient: %d", st)
		}
		barcodes = append(barcodes, p.Volumes[0].Barcode)
	}
	return barcodes, locs
}

func TestScanOverHTTP(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect)
		lib, dev := s.token("library"), s.token("device")
		vols, locs := seed(t, s, lib, 2)
		var r scanResult
		body := `{"barcode":"` + vols[0] + `\r\n","location":"WARD7","scan_id":"a1","scanned_at":"2026-11-20T09:00:00.120Z"}`
		if st := s.call(dev, "POST", "/api/v1/scans", body, &r); st != 200 || r.Result != "moved" ||
			r.Volume.Current.Code != "WARD7" || r.PreviousLocation.Code != "LIB" || r.ScannedAt != "2026-11-20T09:00:00.120Z" {
			t.Fatalf("scan: %d %+v", st, r)
		}
		var again scanResult
		s.call(dev, "POST", "/api/v1/scans", body, &again)
		if again.Result != "moved" || again.ScanID != "a1" {
			t.Errorf("repeat: %+v", again)
		}
		tests := []struct {
			name, body string
			want       int
		}{
			{"ErrNoLocation", `{"barcode":"` + vols[1] + `","scan_id":"e1"}`, 422},
			{"ErrUnknownLocation", `{"barcode":"` + vols[1] + `","location":"MARS","scan_id":"e2"}`, 422},
			{"ErrBadTime", `{"barcode":"` + vols[1] + `","location":"WARD7","scanned_at":"yesterday"}`, 422},
			{"ErrMalformed", `{"barcode":`, 400},
			{"UnknownNeedsNoLocation", `{"barcode":"NOT-OURS-1"}`, 200},
			{"LocationWithoutDevice", `{"barcode":"` + locs["WARD7"].Barcode + `"}`, 200},
		}
		for _, tc := range tests {
			if st := s.call(dev, "POST", "/api/v1/scans", tc.body, nil); st != tc.want {
				t.Errorf("%s: %d, want %d", tc.name, st, tc.want)
			}
		}
		var review struct {
			Scans []struct{ Result, Barcode string }
		}
		s.call(s.token("records"), "GET", "/api/v1/scans?result=unknown_barcode", nil, &review)
		if len(review.Scans) != 1 || review.Scans[0].Barcode != "NOT-OURS-1" {
			t.Errorf("review list: %+v", review)
		}
	})
}

func TestBatchScansUseDeviceContextInOrder(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect)
		lib, app := s.token("library"), s.token("porter")
		vols, locs := seed(t, s, lib, 3)
		scans := []map[string]string{
			{"barcode": vols[0], "scan_id": "b0"}, // no context yet: an error slot
			{"barcode": locs["CLINIC1"].Barcode, "scan_id": "b1"},
			{"barcode": vols[0], "scan_id": "b2"},
			{"barcode": "]C0" + strings.ToLower(vols[1]), "scan_id": "b3"},
			{"barcode": vols[2][:9] + "X", "scan_id": "b4"},
			{"barcode": vols[2], "scan_id": "b5", "location": "WARD7"},
		}
		batch := map[string]any{"device": "hh7", "scans": scans}
		var res struct{ Results []scanResult }
		if st := s.call(app, "POST", "/api/v1/scans/batch", batch, &res); st != 200 || len(res.Results) != len(scans) {
			t.Fatalf("batch: %d %+v", st, res)
		}
		want := []string{"error", "location_set", "moved", "moved", "unknown_barcode", "moved"}
		for i, r := range res.Results {
			if r.Result != want[i] || r.ScanID != scans[i]["scan_id"] {
				t.Errorf("slot %d: %+v, want %s", i, r, want[i])
			}
		}
		var at struct{ Volumes []volume }
		s.call(app, "GET", "/api/v1/locations/CLINIC1/volumes", nil, &at)
		if len(at.Volumes) != 2 {
			t.Errorf("CLINIC1 has %d volumes, want 2", len(at.Volumes))
		}
		var again struct{ Results []json.RawMessage }
		s.call(app, "POST", "/api/v1/scans/batch", batch, &again)
		var ms struct {
			Movements []struct {
				ScanID string `json:"scan_id"`
			}
		}
		s.call(app, "GET", "/api/v1/volumes/"+vols[0]+"/movements", nil, &ms)
		if len(ms.Movements) != 1 {
			t.Errorf("re-sent batch: %d movements of %s, want 1", len(ms.Movements), vols[0])
		}
		if st := s.call(app, "POST", "/api/v1/scans/batch", `{"scans":[`+strings.Repeat(`{"barcode":"X"},`, 10000)+`{"barcode":"X"}]}`, nil); st != 413 {
			t.Errorf("10,001 scans: %d, want 413", st)
		}
	})
}

func TestTCPLineListener(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect, "--tcp-listen", "127.0.0.1:0", "--tcp-device", "dock-1", "--tcp-allow", "127.0.0.1")
		lib := s.token("library")
		vols, locs := seed(t, s, lib, 1)
		addr := s.m.tcp.(*lineListener).ln.Addr().String()
		conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(conn, "%s\r\n%s\r\n\r\n", locs["WARD7"].Barcode, vols[0])
		rd := bufio.NewReader(conn)
		for _, want := range []string{"OK location_set", "OK moved"} {
			line, err := rd.ReadString('\n')
			if err != nil || strings.TrimSpace(line) != want {
				t.Fatalf("answer %q, %v; want %q", line, err, want)
			}
		}
		var v volume
		s.call(lib, "GET", "/api/v1/volumes/"+vols[0], nil, &v)
		if v.Current.Code != "WARD7" {
			t.Errorf("volume at %s after TCP scan", v.Current.Code)
		}
	})
}

func TestTCPAllowList(t *testing.T) {
	allow, err := parseAllow("10.0.0.0/8, 192.168.1.7")
	if err != nil {
		t.Fatal(err)
	}
	l := &lineListener{allow: allow}
	for addr, want := range map[string]bool{"10.1.2.3:5000": true, "192.168.1.7:1": true, "192.168.1.8:1": false, "127.0.0.1:9": false} {
		if got := l.allowed(&net.TCPAddr{IP: net.ParseIP(strings.Split(addr, ":")[0]), Port: 1}); got != want {
			t.Errorf("allowed(%s) = %v", addr, got)
		}
	}
	if _, err := parseAllow("not-an-address"); err == nil {
		t.Error("bad allow list accepted")
	}
}

func TestAdminCommands(t *testing.T) {
	s := startServer(t, "sqlite")
	out, err := s.command("s3cret-password\n", "user", "create", "--name", "jo", "--role", "clerk")
	if err != nil || !strings.Contains(out, "jo") {
		t.Fatalf("user create: %q %v", out, err)
	}
	if _, err := s.command("short\n", "user", "create", "--name", "al", "--role", "clerk"); err == nil {
		t.Error("short password accepted")
	}
	if _, err := s.command("", "token", "create", "--name", "x", "--role", "wizard"); err == nil {
		t.Error("unknown role accepted")
	}
	if _, err := s.command("s3cret-password\n", "user", "create", "--name", "jo", "--role", "clerk"); err == nil {
		t.Error("duplicate user accepted")
	}
	// user set: a new role and disabling, then enabling with a new password.
	if out, err := s.command("", "user", "set", "--name", "jo", "--role", "library", "--disable"); err != nil || !strings.Contains(out, "role library, disabled") {
		t.Errorf("user set role and disable: %q %v", out, err)
	}
	// A new password from the command line also lets a locked-out user in.
	for range 5 {
		s.m.Service.SignIn(context.Background(), tracking.Credentials{Name: "jo", Password: "guess", Addr: "10.0.0.1"})
	}
	if locks, _ := s.m.Service.SignInLocks(context.Background()); locks["jo"] != 1 {
		t.Fatalf("after 5 failures: locks %v, want jo", locks)
	}
	if out, err := s.command("another-password\n", "user", "set", "--name", "jo", "--enable", "--password"); err != nil || !strings.Contains(out, "role library, active") {
		t.Errorf("user set enable and password: %q %v", out, err)
	}
	if locks, _ := s.m.Service.SignInLocks(context.Background()); len(locks) != 0 {
		t.Errorf("after user set --password: locks %v, want none", locks)
	}
	for _, bad := range [][]string{
		{"--name", "jo"}, // nothing to change
		{"--name", "jo", "--enable", "--disable"},
		{"--name", "nobody", "--role", "clerk"},
		{"--name", "jo", "--role", "wizard"},
	} {
		if out, err := s.command("", append([]string{"user", "set"}, bad...)...); err == nil {
			t.Errorf("user set %v accepted: %q", bad, out)
		}
	}
	if _, err := s.command("short\n", "user", "set", "--name", "jo", "--password"); err == nil {
		t.Error("user set: short password accepted")
	}
}

// Hostile scan fields are kept or refused per scan, never a 500, and one
// bad slot never sinks a batch.
func TestHostileScans(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect)
		lib, app := s.token("library"), s.token("porter")
		vols, _ := seed(t, s, lib, 1)
		for name, body := range map[string]string{
			"NULInBarcode":      `{"barcode":"abc\u0000def","scan_id":"h-1"}`,
			"NULInScanID":       `{"barcode":"abc","scan_id":"h\u00002"}`,
			"NULInDevice":       `{"barcode":"abc","device":"d\u0000x"}`,
			"NULInLocation":     `{"barcode":"` + vols[0] + `","location":"W\u0000"}`,
			"HugeScanID":        `{"barcode":"abc","scan_id":"` + strings.Repeat("x", 500) + `"}`,
			"Unicode":           `{"barcode":"Zoë ☃ 😀","scan_id":"h-3"}`,
			"LatinJunkBarcode":  `{"barcode":"\u00ff\u00fe","scan_id":"h-4"}`,
			"ControlCharacters": `{"barcode":"\u0007\u001b[31m","scan_id":"h-5"}`,
		} {
			if st := s.call(app, "POST", "/api/v1/scans", body, nil); st >= 500 || st == 0 {
				t.Errorf("%s: status %d", name, st)
			}
		}
		batch := `{"device":"hh9","scans":[{"barcode":"L000017"},{"barcode":"x\u0000y","scan_id":"b-1"},{"barcode":123,"scan_id":"b-2"},
			{"barcode":"` + vols[0] + `","scan_id":"b-3","scanned_at":"2026-11-22 09:00"},{"barcode":"` + vols[0] + `","scan_id":"b-4","location":"WARD7"}]}`
		var res struct{ Results []scanResult }
		if st := s.call(app, "POST", "/api/v1/scans/batch", batch, &res); st != 200 || len(res.Results) != 5 {
			t.Fatalf("batch with bad slots: %d %+v", st, res)
		}
		want := []string{"", "", "error", "error", "moved"}
		for i, w := range want {
			if w != "" && res.Results[i].Result != w {
				t.Errorf("slot %d: %+v, want %s", i, res.Results[i], w)
			}
		}
		for _, q := range []string{"/api/v1/patients?q=%00", "/api/v1/patients?hospital_number=%00", "/api/v1/locations/%00", "/api/v1/volumes/%FF"} {
			if st := s.call(app, "GET", q, nil, nil); st >= 500 || st < 400 {
				t.Errorf("GET %s: %d", q, st)
			}
		}
	})
}
