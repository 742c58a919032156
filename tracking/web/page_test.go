package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

func TestPagesNeedSignIn(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 1)
	c := browserClient(t)
	for _, path := range []string{"/", "/scan", "/camera", "/lookup?q=smith", "/labels"} {
		t.Run(path, func(t *testing.T) {
			res, _ := get(t, c, ps.URL+path)
			want := "/login?next=" + url.QueryEscape(path)
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
				t.Errorf("GET %s = %d to %q, want 303 to %q", path, res.StatusCode, res.Header.Get("Location"), want)
			}
		})
	}
}

func TestLogin(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ps := newPageServer(t, dialect, 1)
			tests := []struct {
				name       string
				user, pass string
				csrf       bool
				want       int
			}{
				{"OK", "porter", testPassword, true, http.StatusSeeOther},
				{"ErrWrongPassword", "porter", "wrong-password", true, http.StatusUnauthorized},
				{"ErrNoSuchUser", "nobody", testPassword, true, http.StatusUnauthorized},
				{"ErrNoCSRF", "porter", testPassword, false, http.StatusForbidden},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					c := browserClient(t)
					_, body := get(t, c, ps.URL+"/login")
					form := url.Values{"name": {tt.user}, "password": {tt.pass}}
					if tt.csrf {
						form.Set("csrf", hiddenCSRF.FindStringSubmatch(body)[1])
					}
					res, _ := postForm(t, c, ps.URL+"/login", form)
					if res.StatusCode != tt.want {
						t.Fatalf("status = %d, want %d", res.StatusCode, tt.want)
					}
					if tt.want == http.StatusSeeOther {
						checkSessionCookie(t, res)
					}
				})
			}
		})
	}
}

func checkSessionCookie(t *testing.T, res *http.Response) {
	t.Helper()
	for _, ck := range res.Cookies() {
		if ck.Name == sessionCookie {
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
				t.Errorf("session cookie = %+v, want HttpOnly, SameSite=Lax, Path=/", ck)
			}
			return
		}
	}
	t.Errorf("no session cookie set")
}

// Sign-in throttling through a trusted proxy: twenty wrong guesses at
// once at one name from one client address get five password checks (401)
// and fifteen refusals (429); the name's owner still signs in from another
// address; an address the client writes into X-Forwarded-For itself
// changes nothing; an administrator's unlock, or a new password, lets the
// owner in from the locked address again.
func TestLoginThrottle(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ps := newPageServerWith(t, dialect, 0, func(s *Server) { s.TrustedProxies = []string{"127.0.0.1"} })
			tok := ps.apiToken(t, "ops", tracking.RoleAdmin)
			codes := map[int]int{}
			var mu sync.Mutex
			var wg sync.WaitGroup
			for range 20 {
				wg.Go(func() {
					st := signInFrom(t, ps.URL, "203.0.113.5", "clerk", "not-the-password")
					mu.Lock()
					codes[st]++
					mu.Unlock()
				})
			}
			wg.Wait()
			if codes[http.StatusUnauthorized] != 5 || codes[http.StatusTooManyRequests] != 15 {
				t.Fatalf("20 guesses at once: %v, want 5 checked (401) and 15 refused (429)", codes)
			}
			steps := []struct {
				name, from, password string
				before               func()
				want                 int
			}{
				{"LockedFromThere", "203.0.113.5", testPassword, nil, http.StatusTooManyRequests},
				{"MadeUpAddressChangesNothing", "198.51.100.66, 203.0.113.5", testPassword, nil, http.StatusTooManyRequests},
				{"OwnerElsewhere", "198.51.100.7", testPassword, nil, http.StatusSeeOther},
				{"AfterUnlock", "203.0.113.5", testPassword, func() {
					if st, _, raw := callAPI(t, ps.URL, tok, "POST", "/api/v1/users/clerk/unlock", nil); st != http.StatusOK {
						t.Fatalf("unlock: %d %s", st, raw)
					}
				}, http.StatusSeeOther},
				{"AfterNewPassword", "192.0.2.10", "a-new-long-password", func() {
					for range 5 {
						signInFrom(t, ps.URL, "192.0.2.10", "clerk", "wrong")
					}
					if st, _, raw := callAPI(t, ps.URL, tok, "PATCH", "/api/v1/users/clerk", map[string]string{"password": "a-new-long-password"}); st != http.StatusOK {
						t.Fatalf("new password: %d %s", st, raw)
					}
				}, http.StatusSeeOther},
			}
			for _, st := range steps {
				if st.before != nil {
					st.before()
				}
				if got := signInFrom(t, ps.URL, st.from, "clerk", st.password); got != st.want {
					t.Errorf("%s: %d, want %d", st.name, got, st.want)
				}
			}
		})
	}
}

// signInFrom posts the login form as a client at the address, behind a
// trusted proxy, and returns the status.
func signInFrom(t *testing.T, base, addr, user, password string) int {
	t.Helper()
	c := browserClient(t)
	_, body := get(t, c, base+"/login")
	form := url.Values{"csrf": {hiddenCSRF.FindStringSubmatch(body)[1]}, "name": {user}, "password": {password}}
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if addr != "" {
		req.Header.Set("X-Forwarded-For", addr)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func TestSessionCSRF(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ps := newPageServer(t, dialect, 1)
			c := browserClient(t)
			tok := login(t, c, ps.URL, "porter")
			scan := `{"barcode":"WARD7"}`
			tests := []struct {
				name, token, origin string
				want                int
			}{
				{"ErrNoToken", "", "", http.StatusForbidden},
				{"ErrWrongToken", "x" + tok, "", http.StatusForbidden},
				{"ErrOtherOrigin", tok, "https://evil.example", http.StatusForbidden},
				{"OK", tok, ps.URL, http.StatusOK},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					req, _ := http.NewRequest(http.MethodPost, ps.URL+"/api/v1/scans", strings.NewReader(scan))
					req.Header.Set("Content-Type", "application/json")
					if tt.token != "" {
						req.Header.Set(csrfHeader, tt.token)
					}
					if tt.origin != "" {
						req.Header.Set("Origin", tt.origin)
					}
					res, err := c.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					res.Body.Close()
					if res.StatusCode != tt.want {
						t.Errorf("POST /api/v1/scans = %d, want %d", res.StatusCode, tt.want)
					}
				})
			}
		})
	}
}

func TestLogout(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 1)
	c := browserClient(t)
	tok := login(t, c, ps.URL, "clerk")
	if res, _ := postForm(t, c, ps.URL+"/logout", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("logout without csrf = %d, want 403", res.StatusCode)
	}
	if res, _ := postForm(t, c, ps.URL+"/logout", url.Values{"csrf": {tok}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("logout = %d, want 303", res.StatusCode)
	}
	if res, _ := get(t, c, ps.URL+"/scan"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout GET /scan = %d, want 303 to login", res.StatusCode)
	}
}

func TestPageRoles(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 1)
	tests := []struct {
		user, path string
		want       int
	}{
		{"porter", "/scan", http.StatusOK},
		{"porter", "/camera", http.StatusOK},
		{"porter", "/lookup", http.StatusOK},
		{"porter", "/labels", http.StatusForbidden},
		{"clerk", "/labels", http.StatusForbidden},
		{"library", "/labels", http.StatusOK},
		{"porter", "/admin", http.StatusForbidden},
		{"porter", "/requests", http.StatusForbidden},
		{"clerk", "/requests", http.StatusForbidden},
		{"library", "/requests", http.StatusOK},
		{"porter", "/pull-lists", http.StatusForbidden},
		{"clerk", "/pull-lists", http.StatusOK},
		{"porter", "/no-such-page", http.StatusNotFound},
	}
	clients := map[string]*http.Client{}
	for _, tt := range tests {
		t.Run(tt.user+tt.path, func(t *testing.T) {
			c, ok := clients[tt.user]
			if !ok {
				c = browserClient(t)
				login(t, c, ps.URL, tt.user)
				clients[tt.user] = c
			}
			res, body := get(t, c, ps.URL+tt.path)
			if res.StatusCode != tt.want {
				t.Errorf("GET %s as %s = %d, want %d", tt.path, tt.user, res.StatusCode, tt.want)
			}
			if !strings.Contains(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, "</html>") {
				t.Errorf("GET %s: not a whole HTML page", tt.path)
			}
		})
	}
}

func TestSessionIdleTimeout(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 1)
	var offset atomic.Int64
	ps.Service.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	c := browserClient(t)
	login(t, c, ps.URL, "porter")
	const sessionIdle = tracking.DefaultSessionIdle
	offset.Store(int64(sessionIdle - time.Minute))
	if res, _ := get(t, c, ps.URL+"/scan"); res.StatusCode != http.StatusOK {
		t.Fatalf("within idle time: %d, want 200", res.StatusCode)
	}
	offset.Store(int64(2*sessionIdle - 5*time.Minute)) // idle counts from the last use, not from login
	if res, _ := get(t, c, ps.URL+"/scan"); res.StatusCode != http.StatusOK {
		t.Fatalf("use extended the session: %d, want 200", res.StatusCode)
	}
	offset.Store(int64(3*sessionIdle + time.Minute))
	if res, _ := get(t, c, ps.URL+"/scan"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after idle timeout: %d, want 303 to login", res.StatusCode)
	}
}

// A site's own session lengths replace the defaults: a short idle time,
// and a maximum age that ends even a session in constant use.
func TestSessionLengthsConfigured(t *testing.T) {
	ps := newPageServerWith(t, dbtest.Dialects(t)[0], 1, func(s *Server) {
		s.Service.SessionIdle, s.Service.SessionMaxAge = 5*time.Minute, time.Hour
	})
	var offset atomic.Int64
	ps.Service.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	c := browserClient(t)
	login(t, c, ps.URL, "porter")
	offset.Store(int64(6 * time.Minute))
	if res, _ := get(t, c, ps.URL+"/scan"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("idle 6 minutes of 5: %d, want 303 to login", res.StatusCode)
	}
	offset.Store(0)
	login(t, c, ps.URL, "porter")
	for at := 4 * time.Minute; at < time.Hour; at += 4 * time.Minute {
		offset.Store(int64(at))
		if res, _ := get(t, c, ps.URL+"/scan"); res.StatusCode != http.StatusOK {
			t.Fatalf("in use at %v: %d, want 200", at, res.StatusCode)
		}
	}
	offset.Store(int64(time.Hour + time.Minute))
	if res, _ := get(t, c, ps.URL+"/scan"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("past the hour's maximum: %d, want 303 to login", res.StatusCode)
	}
}

func TestStaticAssets(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 1)
	c := browserClient(t)
	u, err := assetURL("scan.js")
	if err != nil {
		t.Fatal(err)
	}
	res, body := get(t, c, ps.URL+u)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") ||
		!strings.Contains(res.Header.Get("Content-Type"), "javascript") || !strings.Contains(body, "casetrack") {
		t.Errorf("GET %s = %d %q %q", u, res.StatusCode, res.Header.Get("Cache-Control"), res.Header.Get("Content-Type"))
	}
	if res, _ := get(t, c, ps.URL+"/static/000000000000/scan.js"); res.StatusCode != http.StatusNotFound {
		t.Errorf("stale hash = %d, want 404", res.StatusCode)
	}
}

func TestLookupPage(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ps := newPageServer(t, dialect, 3)
			c := browserClient(t)
			login(t, c, ps.URL, "clerk")
			v := ps.Vols[1]
			p := tracking.FormatNHSNumber(testNHSNumber(1))
			tests := []struct {
				name, query string
				want        []string
			}{
				{"ByNHSNumberSpaced", "q=" + url.QueryEscape(p), []string{"O&#39;NEILL", v.Barcode, `Medical Records Library</a> <span class="mono">LIB</span>`}},
				{"ByNHSNumberHyphens", "q=" + strings.ReplaceAll(p, " ", "-"), []string{"O&#39;NEILL"}},
				{"ByHospitalNumber", "q=h100101", []string{"O&#39;NEILL"}},
				{"ByName", "q=neill", []string{"O&#39;NEILL", "1 patient found"}},
				{"ByBarcode", "q=" + v.Barcode, []string{"O&#39;NEILL"}},
				{"AtLocation", "location=LIB", []string{`Medical Records Library</a> (LIB) now: 3 folders`}},
				{"ErrBadNHSNumber", "q=943+476+5918", []string{`class="problem"`}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					res, body := get(t, c, ps.URL+"/lookup?"+tt.query)
					if res.StatusCode != http.StatusOK {
						t.Fatalf("status %d", res.StatusCode)
					}
					for _, w := range tt.want {
						if !strings.Contains(body, w) {
							t.Errorf("lookup %s: page lacks %q", tt.query, w)
						}
					}
				})
			}
			if n := countAccess(t, ps); n == 0 {
				t.Errorf("lookups wrote no access log entries")
			}
		})
	}
}

func countAccess(t *testing.T, ps *pageServer) int64 {
	t.Helper()
	var n int64
	if err := ps.DB.Gorm().WithContext(context.Background()).Raw("SELECT COUNT(*) FROM access_log WHERE actor = 'clerk'").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// After signing in: next when it is a path here, else the role's page.
func TestAfterLogin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		next string
		role tracking.Role
		want string
	}{
		{"", tracking.RolePorter, "/scan"},
		{"", tracking.RoleDevice, "/scan"},
		{"", tracking.RoleClerk, "/lookup"},
		{"", tracking.RoleLibrary, "/"},
		{"", tracking.RoleRecords, "/"},
		{"", tracking.RoleAdmin, "/"},
		{"/labels", tracking.RolePorter, "/labels"},
		{"//evil.example", tracking.RolePorter, "/"},
		{"https://evil.example", tracking.RoleClerk, "/"},
	}
	for _, tt := range tests {
		if got := afterLogin(tt.next, tt.role); got != tt.want {
			t.Errorf("afterLogin(%q, %s) = %q, want %q", tt.next, tt.role, got, tt.want)
		}
	}
}
