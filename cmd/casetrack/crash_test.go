//go:build unix

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
)

// The crash tests run the built binary, not Main in-process: only a real
// process can be killed with SIGKILL halfway through a commit.

// crashBinary builds casetrack into the test's temporary folder.
func crashBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "casetrack")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// crashProc is one casetrack serve process.
type crashProc struct {
	cmd  *exec.Cmd
	url  string
	done chan error
	log  *lockedBuffer
}

// lockedBuffer keeps a process's log for when a test fails.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// crashStart runs "serve" on a free loopback port and waits until it
// listens. The process is killed when the test ends if still running.
func crashStart(t *testing.T, bin, dsn string) *crashProc {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", dsn)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &crashProc{cmd: cmd, done: make(chan error, 1), log: &lockedBuffer{}}
	addr := make(chan string, 1)
	go p.readLog(stderr, addr)
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	select {
	case a := <-addr:
		p.url = "http://" + a
	case err := <-p.done:
		t.Fatalf("casetrack exited before listening: %v\n%s", err, p.log)
	case <-time.After(30 * time.Second):
		t.Fatalf("casetrack did not listen within 30s\n%s", p.log)
	}
	return p
}

// readLog keeps the JSON log and reports the address it says it listens on.
func (p *crashProc) readLog(r io.Reader, addr chan<- string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		fmt.Fprintln(p.log, sc.Text())
		var e struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.Msg == "casetrack listening" {
			addr <- e.Addr
		}
	}
}

// wait waits for the process to exit and returns how it ended.
func (p *crashProc) wait(t *testing.T, within time.Duration) error {
	t.Helper()
	select {
	case err := <-p.done:
		return err
	case <-time.After(within):
		t.Fatalf("casetrack still running %s after the signal\n%s", within, p.log)
		return nil
	}
}

// crashToken creates an admin token with the token command.
func crashToken(t *testing.T, bin, dsn string) string {
	t.Helper()
	out, err := exec.Command(bin, "token", "create", "--name", "crash", "--role", "admin", "--db", dsn).Output()
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}

// crashClient calls one server's API.
type crashClient struct {
	url, token string
	http       *http.Client
}

func newCrashClient(url, token string) *crashClient {
	return &crashClient{url: url, token: token, http: &http.Client{Timeout: 20 * time.Second}}
}

// do sends a request and returns the status and body; err is a transport
// error, as when the server dies mid-request.
func (c *crashClient) do(method, path string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest(method, c.url+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

// must sends a request that has to succeed with want and decodes the answer.
func (c *crashClient) must(t *testing.T, method, path string, in, out any, want int) {
	t.Helper()
	var body []byte
	if in != nil {
		body, _ = json.Marshal(in)
	}
	status, got, err := c.do(method, path, body)
	if err != nil || status != want {
		t.Fatalf("%s %s: %d %v %s", method, path, status, err, got)
	}
	if out != nil {
		if err := json.Unmarshal(got, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, got)
		}
	}
}

// crashTrust is what the scans move: volumes and two places.
type crashTrust struct {
	volumes []string
	places  []string
}

func crashSeed(t *testing.T, c *crashClient, patients int) crashTrust {
	t.Helper()
	tr := crashTrust{places: []string{"CRASH-WARD", "CRASH-CLINIC"}}
	for code, kind := range map[string]string{"CRASH-LIB": "library", tr.places[0]: "ward", tr.places[1]: "clinic"} {
		c.must(t, "POST", "/api/v1/locations", map[string]string{"code": code, "name": code, "kind": kind}, nil, 201)
	}
	for i := range patients {
		var p struct{ Volumes []struct{ Barcode string } }
		c.must(t, "POST", "/api/v1/patients", map[string]string{"hospital_number": fmt.Sprintf("CR%04d", i),
			"family_name": "Crash", "home": "CRASH-LIB"}, &p, 201)
		tr.volumes = append(tr.volumes, p.Volumes[0].Barcode)
	}
	return tr
}

// sentScan is one scan a client sent and, if it got a 200, its answer.
type sentScan struct {
	Barcode   string `json:"barcode"`
	Location  string `json:"location"`
	ScanID    string `json:"scan_id"`
	ScannedAt string `json:"scanned_at"`
	batch     bool
	answer    json.RawMessage // nil unless acknowledged
}

// ledger is every scan sent, in the order they were made.
type ledger struct {
	mu    sync.Mutex
	scans []*sentScan
	acked int
}

func (l *ledger) add(s ...*sentScan) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.scans = append(l.scans, s...)
}

func (l *ledger) ack(s *sentScan, answer []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s.answer = answer
	l.acked++
}

func (l *ledger) ackedCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.acked
}

func newScan(tr crashTrust, rng *rand.Rand, id string) *sentScan {
	return &sentScan{Barcode: tr.volumes[rng.IntN(len(tr.volumes))], Location: tr.places[rng.IntN(2)], ScanID: id,
		ScannedAt: time.Now().UTC().Format("2006-01-02T15:04:05.000Z07:00")}
}

// singleClient posts scans one at a time until the server stops answering.
func singleClient(t *testing.T, c *crashClient, tr crashTrust, l *ledger, w int) {
	rng := rand.New(rand.NewPCG(uint64(w), 1))
	for i := 0; ; i++ {
		s := newScan(tr, rng, fmt.Sprintf("single-%d-%d", w, i))
		l.add(s)
		body, _ := json.Marshal(s)
		status, out, err := c.do("POST", "/api/v1/scans", body)
		if err != nil {
			return
		}
		if status != 200 {
			t.Errorf("scan %s: %d %s", s.ScanID, status, out)
			return
		}
		l.ack(s, out)
	}
}

// batchClient posts batches of scans until the server stops answering.
func batchClient(t *testing.T, c *crashClient, tr crashTrust, l *ledger, w, size int) {
	rng := rand.New(rand.NewPCG(uint64(w), 2))
	for i := 0; ; i++ {
		scans := make([]*sentScan, size)
		for j := range scans {
			scans[j] = newScan(tr, rng, fmt.Sprintf("batch-%d-%d-%d", w, i, j))
			scans[j].batch = true
		}
		l.add(scans...)
		results, err := postBatch(c, scans)
		if err != nil {
			return
		}
		for j, r := range results {
			if !storedResult(r) {
				t.Errorf("batch slot %s: %s", scans[j].ScanID, r)
				return
			}
			l.ack(scans[j], r)
		}
	}
}

// postBatch sends scans as one batch and returns the result slots; err is
// set when the server did not answer 200 with one slot per scan.
func postBatch(c *crashClient, scans []*sentScan) ([]json.RawMessage, error) {
	body, _ := json.Marshal(map[string]any{"device": "crash-dock", "scans": scans})
	status, out, err := c.do("POST", "/api/v1/scans/batch", body)
	if err != nil {
		return nil, err
	}
	var res struct{ Results []json.RawMessage }
	if status != 200 || json.Unmarshal(out, &res) != nil || len(res.Results) != len(scans) {
		return nil, fmt.Errorf("batch: %d %s", status, out)
	}
	return res.Results, nil
}

// storedResult reports whether an answer says the scan moved a volume or
// was kept in its history, as every scan these tests send should.
func storedResult(answer []byte) bool {
	var r struct{ Result string }
	if json.Unmarshal(answer, &r) != nil {
		return false
	}
	return r.Result == "moved" || r.Result == "already_here" || r.Result == "recorded_late"
}

// TestCrashKeepsAcknowledgedScans kills the server with SIGKILL while
// single and batch clients scan, restarts it on the same database and
// checks invariants 1, 2 and 3 of DESIGN.md: every scan answered 200 is
// stored exactly once, re-sending any scan gives one consistent answer and
// no duplicate, and each volume's current location is its latest scan.
func TestCrashKeepsAcknowledgedScans(t *testing.T) {
	bin := crashBinary(t)
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			dsn := dbtest.DSN(t, dialect)
			token := crashToken(t, bin, dsn)
			p := crashStart(t, bin, dsn)
			tr := crashSeed(t, newCrashClient(p.url, token), 20)
			l := crashUnderLoad(t, p, newCrashClient(p.url, token), tr)
			t.Logf("%d scans sent, %d acknowledged before SIGKILL", len(l.scans), l.acked)

			p = crashStart(t, bin, dsn)
			c := newCrashClient(p.url, token)
			checkStoredOnce(t, c, tr, l, false)
			first := resend(t, c, l)
			checkStoredOnce(t, c, tr, l, true)
			if again := resend(t, c, l); !reflect.DeepEqual(decodeAll(t, first), decodeAll(t, again)) {
				t.Error("a second re-send of the same scans got different answers")
			}
			p.cmd.Process.Signal(syscall.SIGTERM)
			if err := p.wait(t, 30*time.Second); err != nil {
				t.Errorf("exit after SIGTERM: %v", err)
			}
		})
	}
}

// crashUnderLoad runs four single and two batch clients and kills the
// server once it has acknowledged enough scans (or after two seconds).
func crashUnderLoad(t *testing.T, p *crashProc, c *crashClient, tr crashTrust) *ledger {
	t.Helper()
	l := &ledger{}
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Go(func() {
			if w < 4 {
				singleClient(t, c, tr, l, w)
			} else {
				batchClient(t, c, tr, l, w, 25)
			}
		})
	}
	deadline := time.Now().Add(2 * time.Second)
	for l.ackedCount() < 150 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	p.wait(t, 10*time.Second)
	wg.Wait()
	if t.Failed() {
		t.Logf("server log:\n%s", p.log)
	}
	if l.acked == 0 {
		t.Fatalf("no scan was acknowledged before the kill\n%s", p.log)
	}
	return l
}

// checkStoredOnce reads every volume's movements: no scan id may appear
// twice, every acknowledged scan (with all, every scan sent) must appear,
// and each volume must be where its latest movement took it.
func checkStoredOnce(t *testing.T, c *crashClient, tr crashTrust, l *ledger, all bool) {
	t.Helper()
	seen := map[string]string{} // scan id -> barcode
	for _, bc := range tr.volumes {
		var ms struct{ Movements []crashMovement }
		c.must(t, "GET", "/api/v1/volumes/"+bc+"/movements", nil, &ms, 200)
		for _, m := range ms.Movements {
			if _, dup := seen[m.ScanID]; dup {
				t.Errorf("scan %s is stored twice", m.ScanID)
			}
			seen[m.ScanID] = bc
		}
		checkCurrent(t, c, bc, ms.Movements)
	}
	for _, s := range l.scans {
		bc, ok := seen[s.ScanID]
		switch {
		case ok && bc != s.Barcode:
			t.Errorf("scan %s moved %s, not the volume it was for", s.ScanID, bc)
		case !ok && (all || s.answer != nil):
			t.Errorf("scan %s (acknowledged: %t) is not stored", s.ScanID, s.answer != nil)
		}
		delete(seen, s.ScanID)
	}
	for id := range seen {
		t.Errorf("movement with scan id %q that no client sent", id)
	}
}

// crashMovement is the part of a movement the checks read.
type crashMovement struct {
	To     string `json:"to"`
	ScanID string `json:"scan_id"`
}

// checkCurrent checks that a volume is where its latest movement put it:
// movements come in scan-time order, so that is the last one.
func checkCurrent(t *testing.T, c *crashClient, barcode string, ms []crashMovement) {
	t.Helper()
	if len(ms) == 0 {
		return
	}
	var v struct {
		CurrentLocation struct{ Code string } `json:"current_location"`
	}
	c.must(t, "GET", "/api/v1/volumes/"+barcode, nil, &v, 200)
	if last := ms[len(ms)-1].To; v.CurrentLocation.Code != last {
		t.Errorf("volume %s is at %s but its latest movement went to %s", barcode, v.CurrentLocation.Code, last)
	}
}

// resend sends every scan again the way it was first sent, singles one by
// one and batch scans in batches, and returns the answers by scan id. An
// acknowledged scan must get its first answer back unchanged.
func resend(t *testing.T, c *crashClient, l *ledger) map[string]json.RawMessage {
	t.Helper()
	answers := map[string]json.RawMessage{}
	var batch []*sentScan
	for _, s := range l.scans {
		if s.batch {
			batch = append(batch, s)
			continue
		}
		body, _ := json.Marshal(s)
		status, out, err := c.do("POST", "/api/v1/scans", body)
		if err != nil || status != 200 {
			t.Fatalf("re-send %s: %d %v %s", s.ScanID, status, err, out)
		}
		answers[s.ScanID] = out
	}
	for chunk := range slices.Chunk(batch, 200) {
		results, err := postBatch(c, chunk)
		if err != nil {
			t.Fatalf("re-send batch: %v", err)
		}
		for i, r := range results {
			answers[chunk[i].ScanID] = r
		}
	}
	for _, s := range l.scans {
		checkResent(t, s, answers[s.ScanID])
	}
	return answers
}

func checkResent(t *testing.T, s *sentScan, got json.RawMessage) {
	t.Helper()
	switch {
	case !storedResult(got):
		t.Errorf("re-sent scan %s: answer %s", s.ScanID, got)
	case s.answer != nil && !jsonEqual(s.answer, got):
		t.Errorf("re-sent scan %s answered\n%s\nnot its first answer\n%s", s.ScanID, got, s.answer)
	}
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

func decodeAll(t *testing.T, m map[string]json.RawMessage) map[string]any {
	t.Helper()
	out := make(map[string]any, len(m))
	for k, v := range m {
		var x any
		if err := json.Unmarshal(v, &x); err != nil {
			t.Fatalf("answer of %s: %v", k, err)
		}
		out[k] = x
	}
	return out
}

// TestSIGTERMFinishesInflightRequests sends SIGTERM while a batch request
// is still arriving: the server must read it, store it, answer 200, and
// then exit 0; after a restart, every scan of the batch is stored.
func TestSIGTERMFinishesInflightRequests(t *testing.T) {
	bin := crashBinary(t)
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			dsn := dbtest.DSN(t, dialect)
			token := crashToken(t, bin, dsn)
			p := crashStart(t, bin, dsn)
			tr := crashSeed(t, newCrashClient(p.url, token), 20)
			scans := make([]*sentScan, 100)
			rng := rand.New(rand.NewPCG(7, 7))
			for i := range scans {
				scans[i] = newScan(tr, rng, fmt.Sprintf("term-%d", i))
			}
			results := slowBatch(t, p, token, scans, func() {
				if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
					t.Fatal(err)
				}
			})
			if err := p.wait(t, 30*time.Second); err != nil {
				t.Errorf("exit after SIGTERM: %v, want status 0\n%s", err, p.log)
			}
			l := &ledger{}
			for i, s := range scans {
				l.add(s)
				l.ack(s, results[i])
			}
			p = crashStart(t, bin, dsn)
			checkStoredOnce(t, newCrashClient(p.url, token), tr, l, true)
		})
	}
}

// slowBatch sends a batch request in two halves on a raw connection and
// calls between after the first half, so the request is in flight when
// it runs. It returns the result slots of the 200 answer.
func slowBatch(t *testing.T, p *crashProc, token string, scans []*sentScan, between func()) []json.RawMessage {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"device": "term-dock", "scans": scans})
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	head := fmt.Sprintf("POST /api/v1/scans/batch HTTP/1.1\r\nHost: casetrack\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n", token, len(body))
	half := len(body) / 2
	if _, err := io.WriteString(conn, head+string(body[:half])); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	between()
	time.Sleep(300 * time.Millisecond)
	if _, err := conn.Write(body[half:]); err != nil {
		t.Fatalf("finish the request after SIGTERM: %v", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to the in-flight request: %v\n%s", err, p.log)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	var res struct{ Results []json.RawMessage }
	if resp.StatusCode != 200 || json.Unmarshal(out, &res) != nil || len(res.Results) != len(scans) {
		t.Fatalf("in-flight batch: %d %s", resp.StatusCode, out)
	}
	for i, r := range res.Results {
		if !storedResult(r) {
			t.Errorf("in-flight batch slot %d: %s", i, r)
		}
	}
	return res.Results
}
