package main

import (
	"fmt"
	"testing"
)

type fileReport struct {
	Lines, Accepted, Repeated, Errors int
	Bad                               []struct {
		Line   int
		Reason string
	}
	Results []struct {
		Line   int
		Result string
	}
}

// uploadFile posts a batch scanner file as multipart, as the pages and
// most tools send it.
func (s *testServer) uploadFile(token, device string, content string, out any) int {
	s.t.Helper()
	return s.upload(token, "/api/v1/scans/file", "file", "SCANS.TXT", []byte(content), map[string]string{"device": device}, out)
}

func TestScanFileOpticonLayout(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect)
		lib, app := s.token("library"), s.token("porter")
		vols, locs := seed(t, s, lib, 3)
		file := fmt.Sprintf("%s,0001,08:01:00,20/11/2026\r\n%s,0001,08:01:05,20/11/2026\r\n%s,0001,08:01:09,20/11/2026\r\n,0001,08:01:10,20/11/2026\r\n%s,0001,99:99:99,20/11/2026\r\n",
			locs["CLINIC1"].Barcode, vols[0], vols[1], vols[2])
		var rep fileReport
		if st := s.uploadFile(app, "opticon-7", file, &rep); st != 200 {
			t.Fatalf("upload: %d %+v", st, rep)
		}
		if rep.Lines != 5 || rep.Accepted != 3 || len(rep.Bad) != 2 || rep.Bad[0].Line != 4 || rep.Bad[1].Line != 5 {
			t.Errorf("report: %+v", rep)
		}
		if len(rep.Results) != 3 || rep.Results[0].Result != "location_set" || rep.Results[2].Result != "moved" || rep.Results[2].Line != 3 {
			t.Errorf("results: %+v", rep.Results)
		}
		var again fileReport
		s.uploadFile(app, "opticon-7", file, &again)
		if again.Accepted != 0 || again.Repeated != 3 {
			t.Errorf("re-upload: %+v", again)
		}
		appended := file + fmt.Sprintf("%s,0001,08:02:00,20/11/2026\r\n", vols[2])
		var more fileReport
		s.uploadFile(app, "opticon-7", appended, &more)
		if more.Accepted != 1 || more.Repeated != 3 {
			t.Errorf("appended upload: %+v", more)
		}
		var at struct{ Volumes []volume }
		s.call(app, "GET", "/api/v1/locations/CLINIC1/volumes", nil, &at)
		if len(at.Volumes) != 3 {
			t.Errorf("CLINIC1 holds %d volumes, want 3", len(at.Volumes))
		}
	})
}

func TestScanFilePlainAndErrors(t *testing.T) {
	s := startServer(t, "sqlite")
	lib := s.token("library")
	vols, locs := seed(t, s, lib, 2)
	var rep fileReport
	plain := locs["WARD7"].Barcode + "\n" + vols[0] + "\n\n" + vols[1] + "\n"
	if st := s.uploadFile(lib, "wedge-2", plain, &rep); st != 200 || rep.Accepted != 3 || rep.Errors != 0 {
		t.Errorf("plain file: %d %+v", st, rep)
	}
	if st := s.call(lib, "POST", "/api/v1/scans/file", "", nil); st != 400 {
		t.Errorf("empty body: %d, want 400", st)
	}
	if st := s.uploadFile(lib, "x", "\x00\x01\x02binary\xff", nil); st != 422 {
		t.Errorf("binary file: %d, want 422", st)
	}
}
