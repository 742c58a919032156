package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/casetrack/casetrack/db/dbtest"
)

func TestLabelsPage(t *testing.T) {
	ps := newPageServer(t, dbtest.Dialects(t)[0], 3)
	c := browserClient(t)
	login(t, c, ps.URL, "library")
	v := ps.Vols[1]
	tests := []struct {
		name, query string
		want, not   []string
	}{
		{"Today", "today=1", []string{"Registered today: 3 folders", "Put all 3 in the basket", ps.Vols[2].Barcode}, nil},
		{"JustRegistered", url.Values{"done": {"registered"}, "q": {"H100101"}, "added": {v.Barcode}}.Encode(),
			[]string{`data-volume="` + v.Barcode + `"`, "O&#39;NEILL, Zoë is registered", "1 patient found"}, []string{"Registered today"}},
		{"SheetGrid", "", []string{`data-columns="3" data-rows="7"`, "actual size"}, nil},
		{"ErrNoSuchVolume", "added=V000000000", []string{`class="problem"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, c, ps.URL+"/labels?"+tt.query)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(body, n) {
					t.Errorf("page shows %q", n)
				}
			}
		})
	}
}
