package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserLocations creates a shelf inside a bay by keyboard alone at
// phone size, finds it in the tree, sends the bay's and the shelf's
// labels to the basket, and sees what is at a ward counted with the
// side room inside it.
func TestBrowserLocations(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 3)
	ctx := context.Background()
	for _, l := range []*tracking.Location{{Code: "BAY-1", Name: "Bay 1", Kind: tracking.KindLibrary, ParentCode: "LIB"},
		{Code: "SIDE-1", Name: "Side room 1", Kind: tracking.KindWard, ParentCode: "WARD7"}} {
		if err := ps.Service.CreateLocation(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	ps.book(t, ps.Vols[0].Barcode, "WARD7", time.Now().Add(-8*24*time.Hour))
	ps.book(t, ps.Vols[1].Barcode, "SIDE-1", time.Now().Add(-3*time.Hour))
	b := newBrowser(t)
	signIn(t, b, ps.URL, "library", "/locations/BAY-1")
	phone(t, b)
	do(t, b, chromedp.WaitVisible("#new-inside"), chromedp.Focus("#new-inside"), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible("#location-form"))
	if id := eval[string](t, b, "document.activeElement.id"); id != "code" {
		t.Fatalf("the form starts at %q, want the code", id)
	}
	if p := eval[string](t, b, "document.getElementById('parent_code').value"); p != "BAY-1" {
		t.Errorf("a location made inside BAY-1 starts inside %q", p)
	}
	do(t, b, chromedp.KeyEvent("shelf 1"), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible("#location-problem"))
	if id := eval[string](t, b, "document.activeElement.id"); id != "location-problem" || !strings.Contains(textOf(t, b, "location-problem"), "only letters") {
		t.Errorf("a bad code: focus on %q, problem %q", id, textOf(t, b, "location-problem"))
	}
	screenshot(t, b, "location-form-problem")
	do(t, b, chromedp.Focus("#code"))
	eval[bool](t, b, "document.getElementById('code').select(); true")
	do(t, b, chromedp.KeyEvent("shelf-1"), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("Shelf 1"), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible("#location-done"))
	if s := textOf(t, b, "location-title"); !strings.Contains(s, "Shelf 1") || !strings.Contains(s, "SHELF-1") {
		t.Errorf("created location's page is titled %q", s)
	}
	screenshot(t, b, "location-created")
	testLocationTree(t, b, ps)
	testWardContents(t, b, ps)
}

// testLocationTree finds the new shelf under its bay in the tree, ticks
// both by keyboard and sends their labels to the basket.
func testLocationTree(t *testing.T, b context.Context, ps *pageServer) {
	t.Helper()
	do(t, b, chromedp.Navigate(ps.URL+"/locations"), chromedp.WaitVisible("#locations-tree"))
	under := eval[string](t, b, `document.querySelector('#label-BAY-1').closest('li').querySelector('ul').textContent`)
	if !strings.Contains(under, "SHELF-1") {
		t.Errorf("under BAY-1 the tree shows %q", under)
	}
	phone(t, b)
	noOverflow(t, b, "/locations")
	testPhoneMenu(t, b)
	screenshot(t, b, "locations")
	do(t, b, chromedp.Focus("#label-BAY-1"), chromedp.KeyEvent(" "), chromedp.Focus("#label-SHELF-1"), chromedp.KeyEvent(" "),
		chromedp.Focus("#labels-basket"), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible("#labels-put"))
	waitFor(t, "both labels in the basket", 10*time.Second, func() bool { return basketSize(t, b) == 2 })
	if s := textOf(t, b, "basket"); !strings.Contains(s, "Bay 1 · BAY-1") || !strings.Contains(s, "Shelf 1 · SHELF-1") {
		t.Errorf("basket holds %q", s)
	}
	screenshot(t, b, "labels-locations")
}

// testWardContents shows what is at Ward 7: one folder on the ward, one in
// its side room, counted together.
func testWardContents(t *testing.T, b context.Context, ps *pageServer) {
	t.Helper()
	do(t, b, chromedp.Navigate(ps.URL+"/locations/WARD7"), chromedp.WaitVisible("#contents"))
	if s := textOf(t, b, "here-title"); s != "Here now: 2 folders" {
		t.Errorf("ward says %q", s)
	}
	tallies := textOf(t, b, "tallies")
	contents := textOf(t, b, "contents")
	if !strings.Contains(tallies, "SIDE-1") || !strings.Contains(contents, "8 days") || !strings.Contains(contents, "3 hours") {
		t.Errorf("tallies %q, contents %q", tallies, contents)
	}
	phone(t, b)
	noOverflow(t, b, "/locations/WARD7")
	screenshot(t, b, "location-contents")
}

// TestBrowserLookupPhone shows a patient's folders at 360 px: nothing
// wider than the screen, each barcode under its volume, a badge no wider
// than its word, how long since, and the place linked to its page.
func TestBrowserLookupPhone(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 2)
	v := ps.Vols[1]
	closed := tracking.StatusClosed
	if _, err := ps.Service.UpdateVolume(context.Background(), admin, v.Barcode, tracking.VolumeUpdate{Status: &closed}); err != nil {
		t.Fatal(err)
	}
	ps.book(t, v.Barcode, "WARD9", time.Now().Add(-8*24*time.Hour-2*time.Hour))
	b := newBrowser(t)
	signIn(t, b, ps.URL, "clerk", "/lookup?q="+v.Barcode)
	phone(t, b)
	do(t, b, chromedp.WaitVisible(".patient table"))
	noOverflow(t, b, "/lookup")
	cell := `document.querySelector('.patient td[data-label="Volume"]')`
	layout := eval[map[string]float64](t, b, `(() => { const td = `+cell+`, d = td.querySelector('div'),
		bc = td.querySelector('.barcode'), st = td.querySelector('.status');
		return {vol: d.getBoundingClientRect().top, barcode: bc.getBoundingClientRect().top,
			volLeft: d.getBoundingClientRect().left, barcodeLeft: bc.getBoundingClientRect().left,
			badge: st.getBoundingClientRect().width, cell: d.getBoundingClientRect().width}; })()`)
	if layout["barcode"] <= layout["vol"] || layout["barcodeLeft"] != layout["volLeft"] {
		t.Errorf("the barcode is not under its volume: %v", layout)
	}
	if layout["badge"] >= layout["cell"]/2 {
		t.Errorf("the badge is stretched: %v", layout)
	}
	since := eval[string](t, b, `document.querySelector('.patient td[data-label="Since"]').textContent`)
	if !strings.Contains(since, "8 days") {
		t.Errorf("since says %q", since)
	}
	href := eval[string](t, b, `document.querySelector('.patient td[data-label="Where"] a').getAttribute('href')`)
	if href != "/locations/WARD9" {
		t.Errorf("the place links to %q", href)
	}
	screenshot(t, b, "lookup-phone")
}

// noOverflow fails the test when the page is wider than the screen.
func noOverflow(t *testing.T, b context.Context, page string) {
	t.Helper()
	if w := eval[int](t, b, "document.documentElement.scrollWidth"); w > 360 {
		t.Errorf("%s is %d px wide at 360 px", page, w)
	}
}

// testPhoneMenu opens the main links folded behind Menu at phone width,
// by keyboard, and folds them again with Escape.
func testPhoneMenu(t *testing.T, b context.Context) {
	t.Helper()
	shown := func() bool { return eval[bool](t, b, "document.getElementById('main-nav').offsetParent !== null") }
	if shown() {
		t.Errorf("at phone width the main links show before Menu is pressed")
	}
	if s := textOf(t, b, "menu-toggle"); !strings.Contains(s, "Locations") {
		t.Errorf("menu button says %q, want the page it is on", s)
	}
	do(t, b, chromedp.Focus("#menu-toggle"), chromedp.KeyEvent(kb.Enter))
	if !shown() || eval[string](t, b, "document.activeElement.textContent") != "Scan" {
		t.Errorf("Menu did not open onto its first link")
	}
	screenshot(t, b, "menu-open")
	phone(t, b)
	do(t, b, chromedp.KeyEvent(kb.Escape))
	if shown() || eval[string](t, b, "document.activeElement.id") != "menu-toggle" {
		t.Errorf("Escape did not fold the menu back to its button")
	}
}
