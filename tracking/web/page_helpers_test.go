package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db"
	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/scanner"
	"github.com/casetrack/casetrack/tracking"
)

const testPassword = "casetrack-test"

// testPasswordHash is computed once: PBKDF2 is slow on purpose.
var testPasswordHash = sync.OnceValue(func() string {
	h, err := tracking.HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// pageServer is a real casetrack server on 127.0.0.1 over a fresh
// database holding a library, two wards, a clinic, patients with one
// volume each, and a user of each role named after the role.
type pageServer struct {
	URL     string
	DSN     string
	DB      *db.DB
	Service *tracking.Service
	Locs    map[string]*tracking.Location
	Vols    []*tracking.Volume
}

var admin = tracking.Actor{Name: "setup", Role: tracking.RoleAdmin}

func newPageServer(t testing.TB, dialect string, patients int) *pageServer {
	t.Helper()
	return newPageServerWith(t, dialect, patients, nil)
}

// newPageServerWith is newPageServer with the server's settings changed
// by configure before it starts.
func newPageServerWith(t testing.TB, dialect string, patients int, configure func(*Server)) *pageServer {
	t.Helper()
	dsn := dbtest.DSN(t, dialect)
	d := dbtest.MustOpen(t, dsn)
	t.Cleanup(func() { d.Close() })
	ps := &pageServer{DSN: dsn, DB: d, Service: tracking.NewService(d, scanner.Parse), Locs: map[string]*tracking.Location{}}
	ps.seed(t, patients)
	ps.serve(t, configure)
	return ps
}

// newPageServerOn is another instance over the same database as ps.
func newPageServerOn(t testing.TB, ps *pageServer) *pageServer {
	t.Helper()
	d := dbtest.MustOpen(t, ps.DSN)
	t.Cleanup(func() { d.Close() })
	other := &pageServer{DSN: ps.DSN, DB: d, Service: tracking.NewService(d, scanner.Parse), Locs: ps.Locs, Vols: ps.Vols}
	other.serve(t, nil)
	return other
}

// serve starts the server on a port of its own.
func (ps *pageServer) serve(t testing.TB, configure func(*Server)) {
	t.Helper()
	srv := Server{Service: ps.Service, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if configure != nil {
		configure(&srv)
	}
	app := NewApp(srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(Listener(ln))
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
	ps.URL = "http://" + ln.Addr().String()
}

func (ps *pageServer) seed(t testing.TB, patients int) {
	t.Helper()
	ctx := context.Background()
	for _, l := range []tracking.Location{{Code: "LIB", Name: "Medical Records Library", Kind: tracking.KindLibrary},
		{Code: "WARD7", Name: "Ward 7 Cardiology", Kind: tracking.KindWard},
		{Code: "WARD9", Name: "Ward 9 Orthopaedics", Kind: tracking.KindWard},
		{Code: "OPD-CARD", Name: "Cardiology Outpatients", Kind: tracking.KindClinic}} {
		if err := ps.Service.CreateLocation(ctx, &l); err != nil {
			t.Fatalf("location %s: %v", l.Code, err)
		}
		ps.Locs[l.Code] = &l
	}
	names := []string{"Smith", "O'Neill", "Jones", "Ó'Brien", "Patel", "Nowak"}
	for i := 0; i < patients; i++ {
		p := &tracking.Patient{HospitalNumber: fmt.Sprintf("H%06d", 100100+i), FamilyName: names[i%len(names)],
			GivenName: "Zoë", NHSNumber: testNHSNumber(i)}
		if err := ps.Service.CreatePatient(ctx, admin, p, "LIB"); err != nil {
			t.Fatalf("patient: %v", err)
		}
		ps.Vols = append(ps.Vols, p.Volumes[0])
	}
	for _, r := range []tracking.Role{tracking.RoleAdmin, tracking.RoleLibrary, tracking.RoleClerk, tracking.RolePorter} {
		u := &tracking.User{Name: string(r), Role: r, PasswordHash: testPasswordHash(), CreatedAt: time.Now()}
		if err := ps.DB.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
}

// testNHSNumber makes a valid NHS number from the never-issued 999 range.
func testNHSNumber(i int) string {
	for n := i * 7; ; n++ {
		s := fmt.Sprintf("999%06d", n)
		sum := 0
		for k := 0; k < 9; k++ {
			sum += int(s[k]-'0') * (10 - k)
		}
		if c := (11 - sum%11) % 11; c != 10 {
			return s + fmt.Sprint(c)
		}
	}
}

// movementsTo counts the volume's movements to the location.
func (ps *pageServer) movementsTo(t testing.TB, barcode, code string) int {
	t.Helper()
	ms, err := ps.Service.FindMovements(context.Background(), admin, barcode)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range ms {
		if m.To == code {
			n++
		}
	}
	return n
}

// currentCode is the code of where the volume is booked now.
func (ps *pageServer) currentCode(t testing.TB, barcode string) string {
	t.Helper()
	v, err := ps.Service.FindVolume(context.Background(), admin, barcode)
	if err != nil {
		t.Fatal(err)
	}
	return v.Current.Code
}

// browserClient is a plain HTTP client with cookies that does not follow
// redirects, so tests see each answer.
func browserClient(t testing.TB) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var hiddenCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
var metaCSRF = regexp.MustCompile(`name="csrf-token" content="([^"]+)"`)

// get fetches a page and returns its status and body.
func get(t testing.TB, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func postForm(t testing.TB, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	res, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// login signs the client in as the user and returns the page CSRF token.
func login(t testing.TB, c *http.Client, base, user string) string {
	t.Helper()
	_, body := get(t, c, base+"/login")
	m := hiddenCSRF.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("login page has no csrf field")
	}
	res, _ := postForm(t, c, base+"/login", url.Values{"csrf": {m[1]}, "name": {user}, "password": {testPassword}, "next": {"/scan"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/scan" {
		t.Fatalf("login as %s: status %d to %q", user, res.StatusCode, res.Header.Get("Location"))
	}
	_, page := get(t, c, base+"/scan")
	tok := metaCSRF.FindStringSubmatch(page)
	if tok == nil {
		t.Fatalf("scan page has no csrf meta")
	}
	return strings.TrimSpace(tok[1])
}

// book scans the volume to the location at the time, as a porter would.
func (ps *pageServer) book(t testing.TB, barcode, code string, at time.Time) {
	t.Helper()
	_, err := ps.Service.RecordScan(context.Background(), tracking.Actor{Name: "porter", Role: tracking.RolePorter},
		tracking.Scan{Barcode: barcode, Location: code, ScannedAt: tracking.TimestampOf(at), Channel: tracking.ChannelStation})
	if err != nil {
		t.Fatal(err)
	}
}
