package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/scanner"
)

// get fetches a path and returns status, content type and body.
func (s *testServer) get(token, path string) (int, string, []byte) {
	s.t.Helper()
	req, _ := http.NewRequest("GET", s.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

func (s *testServer) post(token, path string, body any) (*http.Response, []byte) {
	s.t.Helper()
	j, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", s.URL+path, bytes.NewReader(j))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestLabelEndpoints(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect)
		lib := s.token("library")
		vols, locs := seed(t, s, lib, 2)
		st, ct, png := s.get(lib, "/api/v1/volumes/"+vols[0]+"/label.png")
		if st != 200 || ct != "image/png" {
			t.Fatalf("volume label: %d %s", st, ct)
		}
		codes, err := scanner.DecodeImage(bytes.NewReader(png))
		if err != nil || len(codes) == 0 || codes[0].Text != vols[0] {
			t.Errorf("volume label decodes to %+v, %v; want %s", codes, err, vols[0])
		}
		st, _, zpl := s.get(lib, "/api/v1/locations/WARD7/label.zpl?dpi=300")
		if st != 200 || bytes.Count(zpl, []byte("^XA")) != 1 || !bytes.Contains(zpl, []byte(locs["WARD7"].Barcode)) {
			t.Errorf("location ZPL: %d %q", st, zpl)
		}
		if st, _, _ := s.get(s.token("porter"), "/api/v1/volumes/"+vols[0]+"/label.png"); st != 403 {
			t.Errorf("porter label: %d, want 403", st)
		}
		if st, _, _ := s.get(lib, "/api/v1/volumes/V000009999/label.png"); st != 404 {
			t.Errorf("unknown volume label: %d, want 404", st)
		}
		resp, pdf := s.post(lib, "/api/v1/labels", map[string]any{"volumes": vols, "locations": []string{"LIB", "WARD7"},
			"format": "pdf", "layout": "L7163", "start": 3})
		if resp.StatusCode != 200 || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Errorf("PDF sheet: %d %.40q", resp.StatusCode, pdf)
		}
		resp, zpl = s.post(lib, "/api/v1/labels", map[string]any{"patients": []string{"H000000"}, "location_range": map[string]string{"from": "CLINIC1", "to": "LIB"}, "format": "zpl"})
		if n := bytes.Count(zpl, []byte("^XA")); resp.StatusCode != 200 || n != 3 {
			t.Errorf("ZPL set: %d, %d labels, want 3", resp.StatusCode, n)
		}
		for name, body := range map[string]map[string]any{
			"ErrNothingChosen": {"format": "pdf"},
			"ErrUnknownVolume": {"volumes": []string{"V000009999"}},
			"ErrBadLayout":     {"volumes": vols[:1], "layout": "L9999"},
			"ErrBadStart":      {"volumes": vols[:1], "start": 99},
			"ErrBadFormat":     {"volumes": vols[:1], "format": "docx"},
		} {
			if resp, b := s.post(lib, "/api/v1/labels", body); resp.StatusCode != 422 {
				t.Errorf("%s: %d %s", name, resp.StatusCode, b)
			}
		}
	})
}

// A label preview asked for beyond the limits is refused with a 422
// naming the field, before anything is drawn.
func TestLabelPreviewLimits(t *testing.T) {
	s := startServer(t, "sqlite")
	lib := s.token("library")
	vols, _ := seed(t, s, lib, 1)
	for query, field := range map[string]string{
		"?dpi=600&size=4x6": "", "?dpi=1200": "dpi", "?dpi=99999999999": "dpi", "?dpi=abc": "dpi", "?size=40x40": "size",
	} {
		st, _, body := s.get(lib, "/api/v1/volumes/"+vols[0]+"/label.png"+query)
		var e apiError
		json.Unmarshal(body, &e)
		if field == "" && st != 200 || field != "" && (st != 422 || e.Error.Field != field) {
			t.Errorf("%s: %d %s, want a 422 naming %q", query, st, body, field)
		}
	}
}

// fakePrinter is a real TCP listener standing in for a Zebra printer's
// raw port: it hands over everything each connection sent.
func fakePrinter(t *testing.T) (addr string, jobs <-chan []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	ch := make(chan []byte, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b, _ := io.ReadAll(bufio.NewReader(c))
			c.Close()
			ch <- b
		}
	}()
	return ln.Addr().String(), ch
}

func TestPrintToZebra(t *testing.T) {
	addr, jobs := fakePrinter(t)
	dead, _ := net.Listen("tcp", "127.0.0.1:0")
	deadAddr := dead.Addr().String()
	dead.Close()
	s := startServer(t, "sqlite", "--printer", "library-zebra="+addr+",dpi=300,roll=2x1", "--printer", "off="+deadAddr)
	lib := s.token("library")
	vols, _ := seed(t, s, lib, 2)
	body := map[string]any{"printer": "library-zebra", "volumes": vols}
	for round, wantReprints := range []float64{0, 2} {
		resp, b := s.post(lib, "/api/v1/print", body)
		var res map[string]any
		json.Unmarshal(b, &res)
		if resp.StatusCode != 200 || res["labels"] != float64(2) || res["reprints"] != wantReprints {
			t.Fatalf("print round %d: %d %s", round, resp.StatusCode, b)
		}
		select {
		case job := <-jobs:
			if n := strings.Count(string(job), "^XA"); n != 2 || !strings.Contains(string(job), vols[1]) {
				t.Errorf("printer got %d labels: %.200q", n, job)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("printer received nothing")
		}
	}
	resp, b := s.post(lib, "/api/v1/print", map[string]any{"printer": "off", "volumes": vols})
	if resp.StatusCode != 502 || !strings.Contains(string(b), "off") {
		t.Errorf("unreachable printer: %d %s", resp.StatusCode, b)
	}
	if resp, _ := s.post(lib, "/api/v1/print", map[string]any{"printer": "nope", "volumes": vols}); resp.StatusCode != 422 {
		t.Errorf("unknown printer: %d", resp.StatusCode)
	}
}
