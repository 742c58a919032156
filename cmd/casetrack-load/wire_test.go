package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// The lean client against net/http's server on a real socket: bodies
// framed by length and by chunks, headers as sent, and one connection
// kept alive across requests.
func TestWirePost(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Authorization") != "Bearer tok" || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "bad headers", http.StatusUnauthorized)
			return
		}
		if r.URL.Path == "/chunked" {
			w.WriteHeader(http.StatusAccepted)
			for _, part := range []string{`{"echo":`, string(body), "}"} {
				io.WriteString(w, part)
				w.(http.Flusher).Flush()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"path":"`+r.URL.Path+`","echo":`+string(body)+`}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	w := newWire(srv.URL, "Bearer tok")
	defer w.close()
	for i := range 3 {
		status, out, err := w.post("/api/v1/scans", []byte(`{"n":1}`))
		if err != nil || status != 200 || string(out) != `{"path":"/api/v1/scans","echo":{"n":1}}` {
			t.Fatalf("request %d: %d %q %v", i, status, out, err)
		}
	}
	status, out, err := w.post("/chunked", []byte(`[1,2]`))
	if err != nil || status != http.StatusAccepted || string(out) != `{"echo":[1,2]}` {
		t.Fatalf("chunked: %d %q %v", status, out, err)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections for 4 requests, want 1 kept alive", n)
	}
	bad := newWire(srv.URL, "Bearer other")
	defer bad.close()
	if status, out, err := bad.post("/x", nil); err != nil || status != http.StatusUnauthorized || !strings.Contains(string(out), "bad headers") {
		t.Errorf("wrong token: %d %q %v", status, out, err)
	}
}
