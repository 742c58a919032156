package web

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

// rawRequest writes head (a request's line and headers, without the blank
// line ending them) and then body, and reads the answer, within 5 s.
// It reports the status, whether the answer closes the connection, and
// whether the server then closed it.
func rawRequest(t *testing.T, base, head, body string) (status int, closing, closed bool) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, head+"\r\n\r\n"+body); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("no answer before the body was sent: %v", err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	_, err = br.ReadByte()
	return res.StatusCode, res.Close, err == io.EOF
}

// A request with a body and no valid credentials is refused with 401 on
// its headers, before a byte of its body is sent, and its connection
// closed; so is a page form posted without a session, and an API request
// without a body.
func TestUnauthenticatedBodyRefusedOnHeaders(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 0)
	big := "Content-Type: application/json\r\nContent-Length: 16777216"
	tests := []struct {
		name, head string
		want       int
	}{
		{"NoCredentials", "POST /api/v1/scans/batch HTTP/1.1\r\nHost: x\r\n" + big, 401},
		{"UpperCasePath", "POST /API/V1/scans/batch HTTP/1.1\r\nHost: x\r\n" + big, 401},
		{"BadToken", "POST /api/v1/scans/batch HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ct_nope\r\n" + big, 401},
		{"NotBearer", "POST /api/v1/scans HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YTpi\r\n" + big, 401},
		{"Chunked", "POST /api/v1/scans HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked", 401},
		{"ExpectContinue", "POST /api/v1/scans/image HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n" + big, 401},
		{"NoBodyNoCredentials", "GET /api/v1/volumes/V000000013 HTTP/1.1\r\nHost: x", 401},
		{"PageFormWithoutSession", "POST /admin/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 16777216", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, closing, closed := rawRequest(t, ps.URL, tt.head, "")
			if st != tt.want || !closing || !closed {
				t.Errorf("status %d, Connection: close %v, closed %v; want %d, closed", st, closing, closed, tt.want)
			}
		})
	}
}

// A client that sends its whole body at once with a bad token still reads
// the 401: the server lingers for the body rather than resetting the
// connection under it.
func TestRefusedClientStillReadsTheAnswer(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 0)
	tok := ps.apiToken(t, "ward-app", tracking.RolePorter)
	body := bytes.Repeat([]byte(" "), 4<<20)
	for _, c := range []struct{ name, token, path string }{
		{"BadToken", "ct_nope", "/api/v1/scans/batch"}, {"TooLarge", tok, "/api/v1/scans"}} {
		for i := range 5 {
			req, _ := http.NewRequest("POST", ps.URL+c.path, bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+c.token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatalf("%s, try %d: %v, want an answer", c.name, i, err)
			}
			res.Body.Close()
			if want := map[string]int{"BadToken": 401, "TooLarge": 413}[c.name]; res.StatusCode != want {
				t.Errorf("%s: %d, want %d", c.name, res.StatusCode, want)
			}
		}
	}
}

// first8K is as much of a body as the server reads before a handler
// looks at the request.
var first8K = strings.Repeat("x", 8<<10)

// Each route keeps its limit, refused on the declared length once the
// first 8 KiB are in (on the headers alone when over every route's) with
// 413 and the connection closed, or as a chunked body passes it; bodies
// within it are read whole, up to a 16 MiB batch; a compressed body is
// refused (415) rather than inflated.
func TestBodyLimits(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 1)
	tok := ps.apiToken(t, "ward-app", tracking.RolePorter)
	auth := "Host: x\r\nAuthorization: Bearer " + tok + "\r\nContent-Type: application/json\r\n"
	scan := fmt.Sprintf(`{"barcode":%q,"location":"WARD7"}`, ps.Vols[0].Barcode)
	batch := `{"scans":[` + scan + `]` + strings.Repeat(" ", 16<<20-len(scan)-40) + `}`
	tests := []struct {
		name, head, body string
		want             int
		closed           bool
	}{
		{"ScanOverLimitDeclared", "POST /api/v1/scans HTTP/1.1\r\n" + auth + "Content-Length: 2097152", first8K, 413, true},
		{"OverEveryLimitDeclared", "POST /api/v1/scans/batch HTTP/1.1\r\n" + auth + "Content-Length: 16777217", "", 413, true},
		{"ImageOverLimitDeclared", "POST /api/v1/scans/image HTTP/1.1\r\n" + auth + "Content-Length: 11534336", first8K, 413, true},
		{"ChunkedOverLimit", "POST /api/v1/scans HTTP/1.1\r\n" + auth + "Transfer-Encoding: chunked", chunked(strings.Repeat("x", 1<<20+1)), 413, true},
		{"Chunked", "POST /api/v1/scans HTTP/1.1\r\n" + auth + "Transfer-Encoding: chunked", chunked(scan), 200, false},
		{"BatchOf16MiB", "POST /api/v1/scans/batch HTTP/1.1\r\n" + auth + fmt.Sprintf("Content-Length: %d", len(batch)), batch, 200, false},
		{"Compressed", "POST /api/v1/scans HTTP/1.1\r\n" + auth + "Content-Encoding: gzip\r\nContent-Length: 20", strings.Repeat("x", 20), 415, true},
		{"LoginFormOverLimit", "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 2097152", first8K, 413, true},
		{"PageFormOverEveryLimit", "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 16777217", "", 413, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _, closed := rawRequest(t, ps.URL, tt.head, tt.body)
			if st != tt.want || closed != tt.closed {
				t.Errorf("status %d, closed %v; want %d, closed %v", st, closed, tt.want, tt.closed)
			}
		})
	}
}

// chunked frames a body in chunks of 64 KiB.
func chunked(body string) string {
	var b strings.Builder
	for len(body) > 0 {
		n := min(len(body), 64<<10)
		fmt.Fprintf(&b, "%x\r\n%s\r\n", n, body[:n])
		body = body[n:]
	}
	b.WriteString("0\r\n\r\n")
	return b.String()
}

// Headers sent a little at a time are cut off after headerTimeout, not
// left to hold the connection for a minute.
func TestSlowHeadersAreCutOff(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 0)
	conn, err := net.Dial("tcp", strings.TrimPrefix(ps.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST /api/v1/scans HTTP/1.1\r\nHost: x\r\n")
	conn.SetReadDeadline(time.Now().Add(headerTimeout + 5*time.Second))
	if _, err := io.ReadAll(conn); err != nil {
		t.Errorf("half-sent headers: %v, want the server to close the connection within %v", err, headerTimeout)
	}
}
