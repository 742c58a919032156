package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// sweepAnswer is a sweep as the API answers it, the id kept as sent.
type sweepAnswer struct {
	ID       json.RawMessage `json:"id"`
	Location location
	Status   string
	Counts   struct{ Seen, Corrected, Unknown, NotSeen int }
}

type sweepReport struct {
	sweepAnswer
	Seen      []volume
	Corrected []struct {
		Volume volume
		WasAt  location `json:"was_at"`
	}
	NotSeen  []volume `json:"not_seen"`
	Unknown  []string
	Misfiles []struct{ Volume, Before, After *volume }
}

// A sweep over HTTP: started (the id a number, sent back as given or as
// text), scanned one at a time, as a batch and as a memory scanner's
// file, finished into its report (JSON, CSV, PDF), with the errors of
// API.md.
func TestSweepOverHTTP(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect)
		lib, porter := s.token("library"), s.token("porter")
		vols, _ := seed(t, s, lib, 6)
		s.call(lib, "POST", "/api/v1/scans", `{"barcode":"`+vols[1]+`","location":"WARD7"}`, nil)
		if st := s.call(porter, "POST", "/api/v1/sweeps", `{"location":"LIB"}`, nil); st != 403 {
			t.Errorf("porter starts a sweep: %d, want 403", st)
		}
		if st := s.call(lib, "POST", "/api/v1/sweeps", `{"location":"NOWHERE"}`, nil); st != 422 {
			t.Errorf("sweep of an unknown location: %d, want 422", st)
		}
		var sw sweepAnswer
		if st := s.call(lib, "POST", "/api/v1/sweeps", `{"location":"lib"}`, &sw); st != 201 || sw.Status != "open" ||
			sw.Location.Code != "LIB" || len(sw.ID) == 0 || sw.ID[0] == '"' {
			t.Fatalf("start: %d %+v", st, sw)
		}
		id := string(sw.ID)
		checkSweepScans(t, s, porter, id, vols)
		var live sweepAnswer
		if st := s.call(porter, "GET", "/api/v1/sweeps/"+id, nil, &live); st != 200 || live.Counts.Seen != 3 || live.Counts.Corrected != 1 || live.Counts.Unknown != 1 {
			t.Errorf("live: %d %+v", st, live)
		}
		var rep sweepReport
		if st := s.call(lib, "POST", "/api/v1/sweeps/"+id+"/finish", nil, &rep); st != 200 || rep.Status != "finished" ||
			len(rep.Seen) != 3 || len(rep.Corrected) != 1 || rep.Corrected[0].WasAt.Code != "WARD7" || len(rep.NotSeen) != 3 ||
			len(rep.Unknown) != 1 || rep.Unknown[0] != "WHAT-IS-THIS" || rep.Seen[0].Patient == nil {
			t.Fatalf("finish: %d %+v", st, rep)
		}
		var e apiError
		if st := s.call(lib, "POST", "/api/v1/sweeps/"+id+"/finish", nil, &e); st != 409 {
			t.Errorf("finish twice: %d, want 409", st)
		}
		checkSweepDownloads(t, s, lib, id, vols)
		for _, p := range []string{"/api/v1/sweeps/99999/finish", "/api/v1/sweeps/abc/finish"} {
			if st := s.call(lib, "POST", p, nil, nil); st != 404 {
				t.Errorf("%s: %d, want 404", p, st)
			}
		}
	})
}

func checkSweepScans(t *testing.T, s *testServer, token, id string, vols []string) {
	t.Helper()
	var r scanResult
	if st := s.call(token, "POST", "/api/v1/scans", `{"barcode":"`+vols[0]+`","sweep":`+id+`}`, &r); st != 200 || r.Result != "already_here" {
		t.Errorf("sweep scan, id as a number: %d %+v", st, r)
	}
	var e apiError
	if st := s.call(token, "POST", "/api/v1/scans", `{"barcode":"`+vols[0]+`","sweep":"`+id+`","location":"WARD7"}`, &e); st != 422 || e.Error.Field != "location" {
		t.Errorf("sweep scan to another location: %d %+v", st, e)
	}
	if st := s.call(token, "POST", "/api/v1/scans", `{"barcode":"`+vols[0]+`","sweep":"x1"}`, &e); st != 422 || e.Error.Field != "sweep" {
		t.Errorf("sweep scan with a bad id: %d %+v", st, e)
	}
	var b struct{ Results []scanResult }
	body := `{"device":"bay-scanner","sweep":"` + id + `","scans":[{"barcode":"` + vols[1] + `"},{"barcode":"WHAT-IS-THIS"}]}`
	if st := s.call(token, "POST", "/api/v1/scans/batch", body, &b); st != 200 || b.Results[0].Result != "moved" || b.Results[0].Location.Code != "LIB" {
		t.Errorf("sweep batch, id as text: %d %+v", st, b)
	}
	var f struct{ Accepted int }
	if st := s.upload(token, "/api/v1/scans/file", "file", "scans.txt", []byte(vols[2]+"\n"), map[string]string{"sweep": id, "device": "mem-1"}, &f); st != 200 || f.Accepted != 1 {
		t.Errorf("sweep file: %d %+v", st, f)
	}
}

func checkSweepDownloads(t *testing.T, s *testServer, token, id string, vols []string) {
	t.Helper()
	csv := s.download(token, "/api/v1/sweeps/"+id+"/report?format=csv", "text/csv")
	if !strings.HasPrefix(csv, "outcome,barcode,volume_number,hospital_number") || !strings.Contains(csv, "corrected,"+vols[1]) ||
		strings.Count(csv, "\nnot_seen,") != 3 || !strings.Contains(csv, "\nunknown,WHAT-IS-THIS") {
		t.Errorf("report as CSV:\n%s", csv)
	}
	if pdf := s.download(token, "/api/v1/sweeps/"+id+"/report?format=pdf", "application/pdf"); !strings.HasPrefix(pdf, "%PDF") {
		t.Errorf("report as PDF starts %q", pdf[:min(len(pdf), 8)])
	}
	if st := s.call(token, "GET", "/api/v1/sweeps/"+id+"/report?format=xml", nil, nil); st != 422 {
		t.Errorf("report as XML: %d, want 422", st)
	}
	if n := s.accessEntries(t, "sweep_report"); n != 3*6 {
		t.Errorf("%d access-log entries for three reports of six patients, want 18", n)
	}
}

// download fetches a download and checks its content type.
func (s *testServer) download(token, path, contentType string) string {
	s.t.Helper()
	st, ct, b := s.get(token, path)
	if st != 200 || !strings.HasPrefix(ct, contentType) {
		s.t.Fatalf("GET %s: %d %s %s", path, st, ct, bytes.TrimSpace(b[:min(len(b), 200)]))
	}
	return string(b)
}

// accessEntries counts the access-log entries of an action.
func (s *testServer) accessEntries(t *testing.T, action string) int {
	t.Helper()
	var n int64
	if err := s.m.DB.Gorm().Raw("SELECT count(*) FROM access_log WHERE action = ?", action).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return int(n)
}
