//go:build linux

package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
)

// slowAnswer is what one connection declaring a large body and sending
// none of it got back.
type slowAnswer struct {
	status int
	closed bool
	err    error
}

// sendHeadersOnly opens n connections at once, each sending the headers
// of a batch upload declaring 16 MiB and no credentials, then waiting
// without sending the body; it returns what each got within 5 s.
func sendHeadersOnly(addr string, n int) []slowAnswer {
	out := make([]slowAnswer, n)
	var wg sync.WaitGroup
	for i := range out {
		wg.Go(func() {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				out[i].err = err
				return
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(5 * time.Second))
			io.WriteString(conn, "POST /api/v1/scans/batch HTTP/1.1\r\nHost: casetrack\r\n"+
				"Content-Type: application/json\r\nContent-Length: 16777216\r\n\r\n{\"scans\":[")
			br := bufio.NewReader(conn)
			res, err := http.ReadResponse(br, nil)
			if err != nil {
				out[i].err = err
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			_, err = br.ReadByte()
			out[i] = slowAnswer{status: res.StatusCode, closed: err == io.EOF}
		})
	}
	wg.Wait()
	return out
}

// TestUnauthenticatedBodiesMemory opens 40 connections at once to the
// built server, each declaring a 16 MiB body without credentials and
// sending almost none of it, and reads the server's peak resident
// memory: each is answered 401 on its headers and closed, and the server
// stays under 200 MB. Before, it reserved each declared body in full
// while waiting for it (about 670 MB for 40).
func TestUnauthenticatedBodiesMemory(t *testing.T) {
	bin := crashBinary(t)
	p := crashStart(t, bin, dbtest.DSN(t, "sqlite"))
	pid := p.cmd.Process.Pid
	resetPeakRSS(t, pid)
	before := memoryMB(t, pid, "VmRSS")
	answers := sendHeadersOnly(strings.TrimPrefix(p.url, "http://"), 40)
	peak := memoryMB(t, pid, "VmHWM")
	for i, a := range answers {
		if a.err != nil || a.status != http.StatusUnauthorized || !a.closed {
			t.Errorf("connection %d: %d, closed %v, %v; want 401 before the body, then closed", i, a.status, a.closed, a.err)
		}
	}
	t.Logf("40 connections declaring 16 MiB each without credentials: peak RSS %d MB (%d MB before, %d MB after)",
		peak, before, memoryMB(t, pid, "VmRSS"))
	if peak >= 200 {
		t.Errorf("peak RSS %d MB with 40 unauthenticated 16 MiB bodies declared, want under 200 MB", peak)
	}
}
