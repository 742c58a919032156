package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/casetrack/casetrack/db/dbtest"
)

// TestPatientPagesRoles: the edit, merge and merges pages are the
// library's, records' and admin's; the feed is records' and admin's; a
// form posted without the page's token changes nothing.
func TestPatientPagesRoles(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 2)
	tests := []struct {
		user, path string
		want       int
	}{
		{"library", "/patients/H100100/edit", http.StatusOK},
		{"library", "/patients/H100100/merge?into=H100101", http.StatusOK},
		{"library", "/merges", http.StatusOK},
		{"library", "/feed", http.StatusForbidden},
		{"clerk", "/patients/H100100/edit", http.StatusForbidden},
		{"clerk", "/merges", http.StatusForbidden},
		{"porter", "/patients/H100100/merge", http.StatusForbidden},
		{"admin", "/feed", http.StatusOK},
		{"admin", "/feed/999", http.StatusNotFound},
		{"admin", "/feed?status=XX", http.StatusUnprocessableEntity},
		{"library", "/patients/NOBODY/edit", http.StatusNotFound},
	}
	clients := map[string]*http.Client{}
	for _, tc := range tests {
		c := clients[tc.user]
		if c == nil {
			c = browserClient(t)
			login(t, c, ps.URL, tc.user)
			clients[tc.user] = c
		}
		if res, _ := get(t, c, ps.URL+tc.path); res.StatusCode != tc.want {
			t.Errorf("%s GET %s = %d, want %d", tc.user, tc.path, res.StatusCode, tc.want)
		}
	}
	c := clients["library"]
	form := url.Values{"family_name": {"Changed"}}
	if res, _ := postForm(t, c, ps.URL+"/patients/H100100/edit", form); res.StatusCode != http.StatusForbidden {
		t.Errorf("edit without the page's token: %d, want 403", res.StatusCode)
	}
	if res, body := postForm(t, c, ps.URL+"/patients/H100100/merge", url.Values{"into": {"H100101"}}); res.StatusCode != http.StatusForbidden ||
		strings.Contains(body, "Records merged") {
		t.Errorf("merge without the page's token: %d", res.StatusCode)
	}
}
