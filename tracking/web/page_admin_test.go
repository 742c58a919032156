package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

func TestAdminAndReviewPagesByRole(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 0)
	records := &tracking.User{Name: "records", Role: tracking.RoleRecords, PasswordHash: testPasswordHash(), CreatedAt: time.Now()}
	if err := ps.DB.CreateUser(context.Background(), records); err != nil {
		t.Fatal(err)
	}
	want := map[string][2]int{ // user: status of /admin, of /review
		"admin":   {http.StatusOK, http.StatusOK},
		"records": {http.StatusForbidden, http.StatusOK},
		"library": {http.StatusForbidden, http.StatusForbidden},
		"clerk":   {http.StatusForbidden, http.StatusForbidden},
		"porter":  {http.StatusForbidden, http.StatusForbidden},
	}
	for user, w := range want {
		t.Run(user, func(t *testing.T) {
			c := browserClient(t)
			login(t, c, ps.URL, user)
			for i, path := range []string{"/admin", "/review"} {
				if res, _ := get(t, c, ps.URL+path); res.StatusCode != w[i] {
					t.Errorf("GET %s = %d, want %d", path, res.StatusCode, w[i])
				}
			}
			_, home := get(t, c, ps.URL+"/")
			if got := strings.Contains(home, `href="/admin"`); got != (w[0] == http.StatusOK) {
				t.Errorf("home links to /admin: %v, want %v", got, !got)
			}
			if got := strings.Contains(home, `href="/review"`); got != (w[1] == http.StatusOK) {
				t.Errorf("home links to /review: %v, want %v", got, !got)
			}
		})
	}
	t.Run("porter posts", func(t *testing.T) {
		c := browserClient(t)
		tok := login(t, c, ps.URL, "porter")
		form := url.Values{"csrf": {tok}, "name": {"sneaky"}, "role": {"admin"}, "password": {"long-enough"}, "password2": {"long-enough"}}
		if res, _ := postForm(t, c, ps.URL+"/admin/users", form); res.StatusCode != http.StatusForbidden {
			t.Errorf("porter adds a user: %d, want 403", res.StatusCode)
		}
		if _, err := ps.DB.FindUserByName(context.Background(), "sneaky"); tracking.ErrorCode(err) != tracking.ENOTFOUND {
			t.Errorf("a porter's form made a user: %v", err)
		}
	})
}

func TestAdminPageForms(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ps := newPageServer(t, dialect, 0)
			c := browserClient(t)
			tok := login(t, c, ps.URL, "admin")
			user := func(name, role, p1, p2 string) url.Values {
				return url.Values{"csrf": {tok}, "name": {name}, "role": {role}, "password": {p1}, "password2": {p2}}
			}
			res, body := postForm(t, c, ps.URL+"/admin/users", user("ward clerk", "clerk", "long-enough", "long-enougH"))
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="user-name-error"`) ||
				!strings.Contains(body, "do not match") || !strings.Contains(body, `value="ward clerk"`) {
				t.Errorf("bad user form: %d, want 422 with the name and password errors and the name kept", res.StatusCode)
			}
			if strings.Contains(body, "long-enough") {
				t.Errorf("the page sent a password back")
			}
			if res, _ := postForm(t, c, ps.URL+"/admin/users", user("porter", "clerk", "long-enough", "long-enough")); res.StatusCode != http.StatusConflict {
				t.Errorf("existing name: %d, want 409", res.StatusCode)
			}
			if res, _ := postForm(t, c, ps.URL+"/admin/users", url.Values{"name": {"x"}, "role": {"admin"}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("no CSRF token: %d, want 403", res.StatusCode)
			}
			res, _ = postForm(t, c, ps.URL+"/admin/users", user("ward.clerk", "clerk", "long-enough", "long-enough"))
			if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin?done=user-created") {
				t.Fatalf("good user form: %d to %q, want 303 to /admin", res.StatusCode, loc)
			}
			if _, err := ps.DB.FindUserByName(context.Background(), "ward.clerk"); err != nil {
				t.Fatalf("user not stored: %v", err)
			}
			checkAdminTokenForm(t, ps, c, tok)
			checkAdminPassword(t, ps, c, tok)
			checkAdminDisable(t, ps, c, tok)
		})
	}
}

// checkAdminTokenForm creates a token on the page: its secret is on the
// result page, once, and it works; revoking it from the page ends it.
func checkAdminTokenForm(t *testing.T, ps *pageServer, c *http.Client, tok string) {
	t.Helper()
	res, body := postForm(t, c, ps.URL+"/admin/tokens", url.Values{"csrf": {tok}, "name": {"ward7-handheld"}, "role": {"device"}})
	i := strings.Index(body, `value="ct_`)
	if res.StatusCode != http.StatusCreated || i < 0 || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("token form: %d, cache %q; want 201, no-store, with the secret", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	secret := body[i+len(`value="`):]
	secret = secret[:strings.IndexByte(secret, '"')]
	if st, _, _ := callAPI(t, ps.URL, secret, "GET", "/api/v1/locations/WARD7", nil); st != http.StatusOK {
		t.Errorf("the page's token reads a location: %d, want 200", st)
	}
	_, page := get(t, c, ps.URL+"/admin")
	if strings.Contains(page, secret) || !strings.Contains(page, "ward7-handheld") || !strings.Contains(page, "within 10 seconds") {
		t.Errorf("admin page: want the token listed, its secret not shown, and the 10 s revocation delay said")
	}
	res, _ = postForm(t, c, ps.URL+"/admin/tokens/ward7-handheld/revoke", url.Values{"csrf": {tok}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d, want 303", res.StatusCode)
	}
	if _, err := ps.DB.FindTokenByHash(context.Background(), tracking.HashToken(secret)); tracking.ErrorCode(err) != tracking.EUNAUTHORIZED {
		t.Errorf("after revoke the token is still valid: %v", err)
	}
	if res, body := postForm(t, c, ps.URL+"/admin/tokens", url.Values{"csrf": {tok}, "name": {""}, "role": {"device"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="token-name-error"`) {
		t.Errorf("token without a name: %d, want 422 with the error by the name", res.StatusCode)
	}
}

// checkAdminPassword sets the porter's password from the page: typed
// twice, long enough, and then the porter's session is over and the new
// password is the one that works.
func checkAdminPassword(t *testing.T, ps *pageServer, c *http.Client, tok string) {
	t.Helper()
	porter := browserClient(t)
	login(t, porter, ps.URL, "porter")
	form := func(p1, p2 string) url.Values {
		return url.Values{"csrf": {tok}, "name": {"porter"}, "password": {p1}, "password2": {p2}}
	}
	res, body := postForm(t, c, ps.URL+"/admin/password", form("a-new-password", "a-new-passwor"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="password-new2-error"`) ||
		!strings.Contains(body, `<option value="porter" selected>`) || strings.Contains(body, "a-new-passw") {
		t.Errorf("mismatched passwords: %d, want 422 with the error by the second field, porter still chosen, no password sent back", res.StatusCode)
	}
	if res, body := postForm(t, c, ps.URL+"/admin/password", form("short", "short")); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="password-new-error"`) {
		t.Errorf("short password: %d, want 422 with the error by the field", res.StatusCode)
	}
	noone := form("a-new-password", "a-new-password")
	noone.Set("name", "")
	if res, body := postForm(t, c, ps.URL+"/admin/password", noone); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="password-user-error"`) {
		t.Errorf("no user chosen: %d, want 422 asking to choose", res.StatusCode)
	}
	res, _ = postForm(t, c, ps.URL+"/admin/password", form("a-new-password", "a-new-password"))
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "done=user-password") {
		t.Fatalf("set password: %d to %q, want 303", res.StatusCode, loc)
	}
	if res, _ := get(t, porter, ps.URL+"/scan"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("porter's session after a new password: %d, want 303 to sign in", res.StatusCode)
	}
	u, err := ps.DB.FindUserByName(context.Background(), "porter")
	if err != nil || !tracking.CheckPassword(u.PasswordHash, "a-new-password") {
		t.Errorf("the new password does not check: %v", err)
	}
}

// checkAdminDisable disables the clerk, whose session then ends, and
// refuses the admin disabling themself.
func checkAdminDisable(t *testing.T, ps *pageServer, c *http.Client, tok string) {
	t.Helper()
	clerk := browserClient(t)
	login(t, clerk, ps.URL, "clerk")
	res, _ := postForm(t, c, ps.URL+"/admin/users/clerk/disable", url.Values{"csrf": {tok}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable clerk: %d, want 303", res.StatusCode)
	}
	if res, _ := get(t, clerk, ps.URL+"/scan"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("disabled clerk's session: %d, want 303 to sign in", res.StatusCode)
	}
	res, body := postForm(t, c, ps.URL+"/admin/users/admin/disable", url.Values{"csrf": {tok}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "your own account") {
		t.Errorf("disable self: %d, want 422 saying why", res.StatusCode)
	}
	if res, _ := get(t, c, ps.URL+"/admin"); res.StatusCode != http.StatusOK {
		t.Errorf("admin after trying to disable self: %d, want 200", res.StatusCode)
	}
	checkAdminEnableAndRole(t, ps, c, clerk, tok)
}

// checkAdminEnableAndRole enables the disabled clerk again from their row
// and gives them another role; the admin's own role is not theirs to change.
func checkAdminEnableAndRole(t *testing.T, ps *pageServer, c, clerk *http.Client, tok string) {
	t.Helper()
	_, page := get(t, c, ps.URL+"/admin")
	if !strings.Contains(page, `action="/admin/users/clerk/enable"`) || strings.Contains(page, `action="/admin/users/admin/role"`) {
		t.Errorf("admin page: want an Enable button for the disabled clerk and no role form for oneself")
	}
	res, _ := postForm(t, c, ps.URL+"/admin/users/clerk/enable", url.Values{"csrf": {tok}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "done=user-enabled") {
		t.Fatalf("enable clerk: %d to %q, want 303", res.StatusCode, loc)
	}
	login(t, clerk, ps.URL, "clerk")
	res, _ = postForm(t, c, ps.URL+"/admin/users/clerk/role", url.Values{"csrf": {tok}, "role": {"library"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("clerk's role: %d, want 303", res.StatusCode)
	}
	if res, _ := get(t, clerk, ps.URL+"/labels"); res.StatusCode != http.StatusOK {
		t.Errorf("the clerk, now library staff, on /labels: %d, want 200", res.StatusCode)
	}
	if res, body := postForm(t, c, ps.URL+"/admin/users/admin/role", url.Values{"csrf": {tok}, "role": {"porter"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "your own role") {
		t.Errorf("own role: %d, want 422 saying why", res.StatusCode)
	}
	if res, body := postForm(t, c, ps.URL+"/admin/users/clerk/role", url.Values{"csrf": {tok}, "role": {"wizard"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Role must be") {
		t.Errorf("no such role: %d, want 422 saying why", res.StatusCode)
	}
}

func TestReviewPage(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ps := newPageServer(t, dialect, 2)
			ps.reviewScans(t)
			c := browserClient(t)
			login(t, c, ps.URL, "admin")
			tests := []struct {
				name, query string
				want, not   []string
			}{
				{"All", "", []string{"NOSUCHCODE1", "NOSUCHCODE2", ps.Vols[1].Barcode, "3 scans", "Refused"}, []string{ps.Vols[0].Barcode}},
				{"ByResult", "?result=unknown_barcode", []string{"NOSUCHCODE1", "NOSUCHCODE2"}, []string{">3 scans"}},
				{"ByDevice", "?device=handheld-2", []string{"NOSUCHCODE2", "1 scan to check from handheld-2<"}, []string{"NOSUCHCODE1"}},
				{"ErrResult", "?result=moved", []string{"Choose one of the results", "0 scans"}, []string{ps.Vols[0].Barcode}},
			}
			for _, tt := range tests {
				res, body := get(t, c, ps.URL+"/review"+tt.query)
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s: status %d", tt.name, res.StatusCode)
				}
				for _, w := range tt.want {
					if !strings.Contains(body, w) {
						t.Errorf("%s: page lacks %q", tt.name, w)
					}
				}
				for _, n := range tt.not {
					if strings.Contains(body, n) {
						t.Errorf("%s: page shows %q", tt.name, n)
					}
				}
			}
			_, body := get(t, c, ps.URL+"/review")
			if a, b := strings.Index(body, "NOSUCHCODE2"), strings.Index(body, "NOSUCHCODE1"); a > b {
				t.Errorf("review list is not newest first")
			}
		})
	}
}

// reviewScans records a good scan of the first volume and three to review: two unknown
// barcodes from two handhelds, and the second volume with no location
// (refused, and kept).
func (ps *pageServer) reviewScans(t *testing.T) {
	t.Helper()
	ps.book(t, ps.Vols[0].Barcode, "WARD7", time.Now().Add(-time.Hour))
	ctx := context.Background()
	porter := tracking.Actor{Name: "porter", Role: tracking.RolePorter}
	for i, dev := range []string{"handheld-1", "handheld-2"} {
		_, err := ps.Service.RecordScan(ctx, porter, tracking.Scan{Barcode: "NOSUCHCODE" + string(rune('1'+i)),
			Device: dev, ScanID: dev + "-1", Channel: tracking.ChannelAPI})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond) // received times in order on every database
	}
	_, err := ps.Service.RecordScan(ctx, porter, tracking.Scan{Barcode: ps.Vols[1].Barcode, Device: "handheld-3", ScanID: "h3-1"})
	if tracking.ErrorCode(err) != tracking.EINVALID {
		t.Fatalf("a volume scanned with no location: %v, want refused", err)
	}
}

// A user locked out by failed sign-ins shows as locked out on /admin with
// an Unlock button, which lets them in again at once.
func TestAdminUnlockForm(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 0)
	for range 5 {
		if st := signInFrom(t, ps.URL, "", "clerk", "wrong"); st != http.StatusUnauthorized {
			t.Fatalf("wrong password: %d", st)
		}
	}
	if st := signInFrom(t, ps.URL, "", "clerk", testPassword); st != http.StatusTooManyRequests {
		t.Fatalf("clerk after 5 failures: %d, want 429", st)
	}
	c := browserClient(t)
	tok := login(t, c, ps.URL, "admin")
	_, page := get(t, c, ps.URL+"/admin")
	if !strings.Contains(page, ">locked out<") || !strings.Contains(page, `action="/admin/users/clerk/unlock"`) {
		t.Fatalf("/admin does not show clerk locked out with an Unlock button")
	}
	res, _ := postForm(t, c, ps.URL+"/admin/users/clerk/unlock", url.Values{"csrf": {tok}})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "done=user-unlocked") {
		t.Fatalf("unlock: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if _, page = get(t, c, ps.URL+"/admin"); strings.Contains(page, ">locked out<") {
		t.Errorf("/admin still shows someone locked out")
	}
	if st := signInFrom(t, ps.URL, "", "clerk", testPassword); st != http.StatusSeeOther {
		t.Errorf("clerk after unlock: %d, want 303", st)
	}
}
