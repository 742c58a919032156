package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/casetrack/casetrack/db/dbtest"
	"github.com/casetrack/casetrack/tracking"
)

// The search API answers the patients found, how many match in all, and
// which share a name with another patient.
func TestPatientSearchAPI(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 8)
	tok := ps.apiToken(t, "ward-pc", tracking.RoleClerk)
	tests := []struct {
		name, query  string
		found, total int
		sameName     int
	}{
		{"FamilyCommaGiven", "q=" + url.QueryEscape("Smith, Zo"), 2, 2, 2},
		{"GivenFamily", "q=" + url.QueryEscape("zoe jones"), 1, 1, 0},
		{"LimitCountsAll", "q=zoe&limit=5", 5, 8, 2},
		{"NHSNumber", "nhs_number=" + testNHSNumber(4), 1, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, raw := callAPI(t, ps.URL, tok, http.MethodGet, "/api/v1/patients?"+tt.query, nil)
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, raw)
			}
			found, _ := body["patients"].([]any)
			if total, _ := body["total"].(float64); len(found) != tt.found || int(total) != tt.total {
				t.Errorf("%d patients of %v, want %d of %d", len(found), body["total"], tt.found, tt.total)
			}
			same := 0
			for _, p := range found {
				if p.(map[string]any)["same_name"] == true {
					same++
				}
			}
			if same != tt.sameName {
				t.Errorf("%d flagged as sharing a name, want %d", same, tt.sameName)
			}
		})
	}
}

// The lookup page says when it lists only the first of many matches, and
// flags a patient who shares a name with another.
func TestLookupPageSearch(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 52)
	c := browserClient(t)
	login(t, c, ps.URL, "clerk")
	tests := []struct {
		name, q   string
		want, not []string
	}{
		{"StopsAtFifty", "zoe", []string{"The first 50 of 52 patients found", "Only the first 50 are listed"}, nil},
		{"FamilyCommaGiven", "Smith, Zoë", []string{"9 patients found", "Same name"}, []string{"The first"}},
		{"GivenFamily", "ZOE NOWAK", []string{"8 patients found", "NOWAK, Zoë"}, []string{"SMITH"}},
		{"NoneFound", "Zoë Smithers", []string{"0 patients found", "No patient matches"}, []string{"Same name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, c, ps.URL+"/lookup?q="+url.QueryEscape(tt.q))
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("lookup %q: page lacks %q", tt.q, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(body, n) {
					t.Errorf("lookup %q: page shows %q", tt.q, n)
				}
			}
		})
	}
}
