package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

// apiToken makes a token of the role and returns its secret.
func (ps *pageServer) apiToken(t testing.TB, name string, role tracking.Role) string {
	t.Helper()
	_, secret, err := ps.Service.CreateToken(context.Background(), admin, name, role)
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// callAPI sends a JSON request with a bearer token and decodes the answer
// into a map; it returns the status and the raw body too.
func callAPI(t testing.TB, base, token, method, path string, body any) (int, map[string]any, string) {
	t.Helper()
	return sendAPI(t, newJSONRequest(t, base, token, method, path, body), "")
}

// newJSONRequest is a request with a JSON body (none when body is nil)
// and a bearer token (none when token is "").
func newJSONRequest(t testing.TB, base, token, method, path string, body any) *http.Request {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// sendAPI sends a request with a bearer token (when there is one) and
// decodes the answer into a map; it returns the status and the raw body.
func sendAPI(t testing.TB, req *http.Request, token string) (int, map[string]any, string) {
	t.Helper()
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return res.StatusCode, out, string(raw)
}

func TestAdminAPIRoles(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 0)
	tokens := map[tracking.Role]string{}
	for _, r := range tracking.Roles {
		tokens[r] = ps.apiToken(t, "t-"+string(r), r)
	}
	calls := []struct{ method, path string }{
		{"GET", "/api/v1/users"}, {"POST", "/api/v1/users"}, {"POST", "/api/v1/users/porter/disable"},
		{"GET", "/api/v1/tokens"}, {"POST", "/api/v1/tokens"}, {"POST", "/api/v1/tokens/t-device/revoke"},
	}
	for _, call := range calls {
		if st, _, _ := callAPI(t, ps.URL, "", call.method, call.path, nil); st != http.StatusUnauthorized {
			t.Errorf("%s %s without a token: %d, want 401", call.method, call.path, st)
		}
		for _, r := range tracking.Roles {
			if r == tracking.RoleAdmin {
				continue
			}
			st, body, _ := callAPI(t, ps.URL, tokens[r], call.method, call.path, map[string]string{"name": "x", "role": "porter"})
			if st != http.StatusForbidden || errorCode(body) != tracking.EFORBIDDEN {
				t.Errorf("%s %s as %s: %d %v, want 403", call.method, call.path, r, st, body)
			}
		}
	}
	if u, err := ps.DB.FindUserByName(context.Background(), "porter"); err != nil || u.Disabled {
		t.Errorf("after refused calls, porter = %+v, %v; want enabled", u, err)
	}
}

func errorCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

func TestAdminAPIUsers(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ps := newPageServer(t, dialect, 0)
			tok := ps.apiToken(t, "ops", tracking.RoleAdmin)
			newUser := map[string]string{"name": "nurse.jo", "role": "clerk", "password": "long-enough"}
			st, body, raw := callAPI(t, ps.URL, tok, "POST", "/api/v1/users", newUser)
			if st != http.StatusCreated || body["name"] != "nurse.jo" || body["role"] != "clerk" || body["disabled"] != false {
				t.Fatalf("create user: %d %s", st, raw)
			}
			if strings.Contains(raw, "pbkdf2") || strings.Contains(raw, "password") || !strings.Contains(raw, `"created_at"`) {
				t.Errorf("create user answer %s: want created_at and no password or hash", raw)
			}
			checkUserErrors(t, ps, tok)
			if st, _, raw := callAPI(t, ps.URL, tok, "POST", "/api/v1/users/nurse.jo/disable", nil); st != http.StatusOK {
				t.Fatalf("disable: %d %s", st, raw)
			}
			if st, body, _ := callAPI(t, ps.URL, tok, "POST", "/api/v1/users/nobody/disable", nil); st != http.StatusNotFound {
				t.Errorf("disable nobody: %d %v, want 404", st, body)
			}
			_, body, raw = callAPI(t, ps.URL, tok, "GET", "/api/v1/users", nil)
			users, _ := body["users"].([]any)
			if len(users) != 5 || !strings.Contains(raw, `{"name":"nurse.jo","role":"clerk","created_at":`) {
				t.Fatalf("list users: %s", raw)
			}
			for _, u := range users {
				u := u.(map[string]any)
				if want := u["name"] == "nurse.jo"; u["disabled"] != want {
					t.Errorf("user %v disabled = %v, want %v", u["name"], u["disabled"], want)
				}
			}
		})
	}
}

// checkUserErrors posts bad users: each is refused with the field named.
func checkUserErrors(t *testing.T, ps *pageServer, tok string) {
	t.Helper()
	tests := []struct {
		name             string
		user, role, pass string
		want             int
		field            string
	}{
		{"ErrDuplicate", "nurse.jo", "clerk", "long-enough", http.StatusConflict, ""},
		{"ErrSpaceInName", "nurse jo", "clerk", "long-enough", http.StatusUnprocessableEntity, "name"},
		{"ErrNoName", "", "clerk", "long-enough", http.StatusUnprocessableEntity, "name"},
		{"ErrRole", "nurse.al", "matron", "long-enough", http.StatusUnprocessableEntity, "role"},
		{"ErrShortPassword", "nurse.al", "clerk", "short", http.StatusUnprocessableEntity, "password"},
	}
	for _, tt := range tests {
		st, body, raw := callAPI(t, ps.URL, tok, "POST", "/api/v1/users", map[string]string{"name": tt.user, "role": tt.role, "password": tt.pass})
		e, _ := body["error"].(map[string]any)
		if st != tt.want || (tt.field != "" && e["field"] != tt.field) {
			t.Errorf("%s: %d %s, want %d on field %q", tt.name, st, raw, tt.want, tt.field)
		}
	}
	if st, _, _ := callAPI(t, ps.URL, tok, "POST", "/api/v1/users", "not an object"); st != http.StatusBadRequest {
		t.Errorf("ErrNotAnObject: %d, want 400", st)
	}
}

func TestAdminAPITokens(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ps := newPageServer(t, dialect, 0)
			tok := ps.apiToken(t, "ops", tracking.RoleAdmin)
			st, body, raw := callAPI(t, ps.URL, tok, "POST", "/api/v1/tokens", map[string]string{"name": "ward7-handheld", "role": "device"})
			secret, _ := body["token"].(string)
			if st != http.StatusCreated || !strings.HasPrefix(secret, "ct_") || body["role"] != "device" || body["revoked"] != false {
				t.Fatalf("create token: %d %s", st, raw)
			}
			if st, _, _ := callAPI(t, ps.URL, secret, "GET", "/api/v1/locations/LIB", nil); st != http.StatusOK {
				t.Errorf("the new token reads a location: %d, want 200", st)
			}
			if st, _, _ := callAPI(t, ps.URL, tok, "POST", "/api/v1/tokens", map[string]string{"name": "ward7-handheld", "role": "device"}); st != http.StatusConflict {
				t.Errorf("duplicate token: %d, want 409", st)
			}
			if st, body, _ := callAPI(t, ps.URL, tok, "POST", "/api/v1/tokens", map[string]string{"name": "x", "role": "root"}); st != http.StatusUnprocessableEntity {
				t.Errorf("bad role: %d %v, want 422", st, body)
			}
			unused := ps.apiToken(t, "pas-feed", tracking.RoleLibrary)
			for _, name := range []string{"ward7-handheld", "pas-feed"} {
				if st, _, raw := callAPI(t, ps.URL, tok, "POST", "/api/v1/tokens/"+name+"/revoke", nil); st != http.StatusOK {
					t.Fatalf("revoke %s: %d %s", name, st, raw)
				}
			}
			if st, _, _ := callAPI(t, ps.URL, unused, "GET", "/api/v1/locations/LIB", nil); st != http.StatusUnauthorized {
				t.Errorf("a revoked token not yet cached: %d, want 401", st)
			}
			if st, _, _ := callAPI(t, ps.URL, tok, "POST", "/api/v1/tokens/nothing/revoke", nil); st != http.StatusNotFound {
				t.Errorf("revoke nothing: %d, want 404", st)
			}
			checkTokenList(t, ps, tok, secret)
		})
	}
}

// checkTokenList expects ops active and the two others revoked, and no
// secret or hash anywhere in the list.
func checkTokenList(t *testing.T, ps *pageServer, tok, secret string) {
	t.Helper()
	_, body, raw := callAPI(t, ps.URL, tok, "GET", "/api/v1/tokens", nil)
	if strings.Contains(raw, secret) || strings.Contains(raw, tracking.HashToken(secret)) || strings.Contains(raw, `"token"`) {
		t.Errorf("token list shows a secret or hash: %s", raw)
	}
	list, _ := body["tokens"].([]any)
	if len(list) != 3 {
		t.Fatalf("token list: %s", raw)
	}
	for _, x := range list {
		x := x.(map[string]any)
		revoked := x["name"] != "ops"
		if x["revoked"] != revoked || (x["revoked_at"] != nil) != revoked {
			t.Errorf("token %v: revoked %v at %v, want revoked=%v", x["name"], x["revoked"], x["revoked_at"], revoked)
		}
	}
}

// An administrator changes a user's role, disables and enables them and
// sets their password; what the user's sessions may do follows at once.
func TestAdminAPIUserChanges(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ps := newPageServer(t, dialect, 0)
			tok := ps.apiToken(t, "ops", tracking.RoleAdmin)
			newUser := map[string]string{"name": "nurse.jo", "role": "clerk", "password": testPassword}
			if st, _, raw := callAPI(t, ps.URL, tok, "POST", "/api/v1/users", newUser); st != http.StatusCreated {
				t.Fatalf("create user: %d %s", st, raw)
			}
			jo := browserClient(t)
			login(t, jo, ps.URL, "nurse.jo")
			if res, _ := get(t, jo, ps.URL+"/labels"); res.StatusCode != http.StatusForbidden {
				t.Fatalf("clerk on /labels: %d, want 403", res.StatusCode)
			}
			st, body, raw := callAPI(t, ps.URL, tok, "PATCH", "/api/v1/users/nurse.jo", map[string]any{"role": "library"})
			if st != http.StatusOK || body["role"] != "library" || body["disabled"] != false {
				t.Fatalf("change role: %d %s", st, raw)
			}
			if res, _ := get(t, jo, ps.URL+"/labels"); res.StatusCode != http.StatusOK {
				t.Errorf("the same session after the new role: %d, want 200", res.StatusCode)
			}
			if st, body, raw := callAPI(t, ps.URL, tok, "PATCH", "/api/v1/users/nurse.jo", map[string]any{"disabled": true}); st != http.StatusOK || body["disabled"] != true {
				t.Fatalf("disable: %d %s", st, raw)
			}
			if res, _ := get(t, jo, ps.URL+"/scan"); res.StatusCode != http.StatusSeeOther {
				t.Errorf("disabled user's session: %d, want 303 to sign in", res.StatusCode)
			}
			if st, body, raw := callAPI(t, ps.URL, tok, "PATCH", "/api/v1/users/nurse.jo", map[string]any{"disabled": false}); st != http.StatusOK || body["disabled"] != false {
				t.Fatalf("enable: %d %s", st, raw)
			}
			login(t, jo, ps.URL, "nurse.jo") // signs in again
			if st, _, raw := callAPI(t, ps.URL, tok, "PATCH", "/api/v1/users/nurse.jo", map[string]any{"password": "a-new-password"}); st != http.StatusOK || strings.Contains(raw, "password") {
				t.Fatalf("set password: %d %s (want 200 and no password in the answer)", st, raw)
			}
			if res, _ := get(t, jo, ps.URL+"/scan"); res.StatusCode != http.StatusSeeOther {
				t.Errorf("session after a new password: %d, want 303 to sign in", res.StatusCode)
			}
			u, err := ps.DB.FindUserByName(context.Background(), "nurse.jo")
			if err != nil || !tracking.CheckPassword(u.PasswordHash, "a-new-password") || tracking.CheckPassword(u.PasswordHash, testPassword) {
				t.Errorf("stored password: the new one should check and the old one not (%v)", err)
			}
			porter := ps.apiToken(t, "handheld", tracking.RolePorter)
			for _, tt := range []struct {
				name, token, user string
				change            map[string]any
				status            int
				says              string
			}{
				{"nothing", tok, "nurse.jo", map[string]any{}, http.StatusUnprocessableEntity, "Nothing to change"},
				{"no such role", tok, "nurse.jo", map[string]any{"role": "wizard"}, http.StatusUnprocessableEntity, "Role must be"},
				{"short password", tok, "nurse.jo", map[string]any{"password": "short"}, http.StatusUnprocessableEntity, "at least 8"},
				{"own role", tok, "ops", map[string]any{"role": "clerk"}, http.StatusUnprocessableEntity, "your own role"},
				{"disable self", tok, "ops", map[string]any{"disabled": true}, http.StatusUnprocessableEntity, "your own account"},
				{"no such user", tok, "nobody", map[string]any{"role": "clerk"}, http.StatusNotFound, "no user named"},
				{"not an admin", porter, "nurse.jo", map[string]any{"role": "admin"}, http.StatusForbidden, ""},
			} {
				st, _, raw := callAPI(t, ps.URL, tt.token, "PATCH", "/api/v1/users/"+tt.user, tt.change)
				if st != tt.status || !strings.Contains(raw, tt.says) {
					t.Errorf("%s: %d %s, want %d saying %q", tt.name, st, raw, tt.status, tt.says)
				}
			}
			if u, _ := ps.DB.FindUserByName(context.Background(), "nurse.jo"); u == nil || u.Role != tracking.RoleLibrary {
				t.Errorf("refused changes changed the user: %+v", u)
			}
		})
	}
}
