package web

import (
	"net/http"
	"testing"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

// Every /api/v1 answer is Cache-Control: no-store: most carry patient
// data, and a shared PC's browser or a proxy must keep none of them,
// refusals and errors included.
func TestAPIAnswersAreNotStored(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 1)
	tok := ps.apiToken(t, "ward7-app", tracking.RoleLibrary)
	bc := ps.Vols[0].Barcode
	calls := []struct {
		name, token, method, path string
		body                      any
		want                      int
	}{
		{"Volume", tok, "GET", "/api/v1/volumes/" + bc, nil, http.StatusOK},
		{"Patients", tok, "GET", "/api/v1/patients?q=Smith", nil, http.StatusOK},
		{"Scan", tok, "POST", "/api/v1/scans", map[string]string{"barcode": bc, "location": "WARD7"}, http.StatusOK},
		{"NotFound", tok, "GET", "/api/v1/volumes/V999999999", nil, http.StatusNotFound},
		{"NoRoute", tok, "GET", "/api/v1/nothing-here", nil, http.StatusNotFound},
		{"Unauthorized", "", "GET", "/api/v1/volumes/" + bc, nil, http.StatusUnauthorized},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			req := newJSONRequest(t, ps.URL, c.token, c.method, c.path, c.body)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != c.want || res.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s %s: %d, Cache-Control %q; want %d, no-store", c.method, c.path, res.StatusCode,
					res.Header.Get("Cache-Control"), c.want)
			}
		})
	}
}
