package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserSearchByName finds people on /lookup at phone size as a ward
// clerk types their names: "Smith, Dafydd", "dafydd smith", "smith d".
func TestBrowserSearchByName(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 2)
	ps.namesakes(t)
	ctx := newBrowser(t)
	signIn(t, ctx, ps.URL, "clerk", "/lookup")
	tests := []struct {
		q         string
		want      []string
		sameNames int
	}{
		{"Smith, Dafydd", []string{"SMITH, Dafydd", "SMITH, Dafydd"}, 2},
		{"dafydd smith", []string{"SMITH, Dafydd", "SMITH, Dafydd"}, 2},
		{"smith d", []string{"SMITH, Dafydd", "SMITH, Dafydd", "SMITH, David"}, 2},
	}
	for _, tt := range tests {
		phone(t, ctx)
		lookupSearch(t, ctx, tt.q)
		got := eval[[]string](t, ctx, "Array.from(document.querySelectorAll('.patient h2')).map(h => h.textContent)")
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%q found %q, want %q", tt.q, got, tt.want)
		}
		if n := eval[int](t, ctx, "document.querySelectorAll('.patient .status.same-name').length"); n != tt.sameNames {
			t.Errorf("%q flags %d patients as sharing a name, want %d", tt.q, n, tt.sameNames)
		}
	}
	if s := textOf(t, ctx, "results-title"); s != "3 patients found" {
		t.Errorf("results title %q", s)
	}
	if s := eval[string](t, ctx, "document.querySelector('.patient .ids').textContent"); !strings.Contains(s, "14-Mar-1948") {
		t.Errorf("the first patient's details %q lack the date of birth", s)
	}
	screenshot(t, ctx, "lookup-search")
}

// lookupSearch types a search into /lookup's box and waits for its answer.
func lookupSearch(t *testing.T, ctx context.Context, q string) {
	t.Helper()
	eval[bool](t, ctx, "(document.getElementById('q').value = '') === ''")
	do(t, ctx, chromedp.Focus(chromedp.ID("q")), chromedp.KeyEvent(q), chromedp.KeyEvent(kb.Enter))
	waitFor(t, "results for "+q, 10*time.Second, func() bool {
		return eval[bool](t, ctx, "new URL(location.href).searchParams.get('q') === "+jsString(q)+
			" && document.readyState === 'complete' && !!document.getElementById('results-title')")
	})
}

// namesakes registers two patients called Dafydd Smith, a David Smith and
// a Dafydd Smithson.
func (ps *pageServer) namesakes(t testing.TB) {
	t.Helper()
	for i, n := range [][3]string{{"Smith", "Dafydd", "1948-03-14"}, {"SMITH", "Dafydd", "1987-11-02"},
		{"Smith", "David", "1960-06-30"}, {"Smithson", "Dafydd", "1999-01-01"}} {
		born, err := tracking.ParseDate(n[2])
		if err != nil {
			t.Fatal(err)
		}
		p := &tracking.Patient{HospitalNumber: fmt.Sprintf("S%05d", i), FamilyName: n[0], GivenName: n[1], BirthDate: &born}
		if err := ps.Service.CreatePatient(context.Background(), admin, p, "LIB"); err != nil {
			t.Fatal(err)
		}
	}
}
