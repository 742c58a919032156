package web

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserLabelsBasket fills one sheet from two searches by keyboard,
// sees which positions it will use, prints it, and leaves nothing of the
// basket for the next person to sign in on the same browser.
func TestBrowserLabelsBasket(t *testing.T) {
	ps := newPageServer(t, browserDialect(t), 8)
	ctx := newBrowser(t)
	signIn(t, ctx, ps.URL, "library", "/labels")
	labelSearch(t, ctx, "Smith, Zoë")
	do(t, ctx, chromedp.Focus(`#results-title ~ fieldset input[name="volume"]`), chromedp.KeyEvent(" "))
	labelSearch(t, ctx, "zoe nowak")
	do(t, ctx, chromedp.Focus(`fieldset input[name="volume"]`), chromedp.KeyEvent(" "))
	waitFor(t, "two labels in the basket", 5*time.Second, func() bool { return basketSize(t, ctx) == 2 })
	if txt := textOf(t, ctx, "basket"); !strings.Contains(txt, "SMITH, Zoë") || !strings.Contains(txt, "NOWAK, Zoë") {
		t.Errorf("basket holds %q, want a Smith and a Nowak", txt)
	}
	startAtLabel(t, ctx, "20")
	if s := textOf(t, ctx, "sheet-summary"); s != "Labels 20 to 21 of the first sheet (21 a sheet)." {
		t.Errorf("sheet summary %q", s)
	}
	startAtLabel(t, ctx, "21")
	if s := textOf(t, ctx, "sheet-summary"); !strings.Contains(s, "2 sheets in all") {
		t.Errorf("starting at 21, summary %q, want 2 sheets", s)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#sheets .sheet span.print').length`); n != 2 {
		t.Errorf("the sheet map marks %d labels to print, want 2", n)
	}
	screenshot(t, ctx, "labels-basket")
	printBasket(t, ctx)
	do(t, ctx, chromedp.Focus("#basket button.remove"), chromedp.KeyEvent(kb.Enter))
	waitFor(t, "one label left", 5*time.Second, func() bool { return basketSize(t, ctx) == 1 })
	if id := eval[string](t, ctx, "document.activeElement.className"); !strings.Contains(id, "remove") {
		t.Errorf("after removing, focus on %q, want the next Remove button", id)
	}
	do(t, ctx, chromedp.Navigate(ps.URL+"/labels"), chromedp.WaitVisible(chromedp.ID("basket-title")))
	if n := basketSize(t, ctx); n != 1 {
		t.Errorf("after a reload the basket holds %d, want 1", n)
	}
	signOut(t, ctx)
	signIn(t, ctx, ps.URL, "admin", "/labels")
	if n := basketSize(t, ctx); n != 0 {
		t.Errorf("the next person's basket holds %d labels, want none", n)
	}
	if kept := eval[bool](t, ctx, "sessionStorage.getItem('casetrack.labels.basket.v1.library') !== null"); kept {
		t.Errorf("the last person's basket is still stored")
	}
	do(t, ctx, chromedp.Focus(chromedp.ID("today-link")), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.ID("add-today")),
		chromedp.Focus(chromedp.ID("add-today")), chromedp.KeyEvent(kb.Enter))
	waitFor(t, "today's registrations in the basket", 5*time.Second, func() bool { return basketSize(t, ctx) == 8 })
	screenshot(t, ctx, "labels-today")
}

// labelSearch searches the labels page from the keyboard.
func labelSearch(t *testing.T, ctx context.Context, q string) {
	t.Helper()
	eval[bool](t, ctx, "(document.getElementById('q').value = '') === ''")
	do(t, ctx, chromedp.Focus("#q"), chromedp.KeyEvent(q), chromedp.KeyEvent(kb.Enter))
	waitFor(t, "results for "+q, 10*time.Second, func() bool {
		return eval[bool](t, ctx, "new URL(location.href).searchParams.get('q') === "+jsString(q)+
			" && document.readyState === 'complete' && !!document.getElementById('results-title')")
	})
}

func basketSize(t *testing.T, ctx context.Context) int {
	return eval[int](t, ctx, "document.querySelectorAll('#basket li').length")
}

// startAtLabel types a start position, as a person with a part-used sheet.
func startAtLabel(t *testing.T, ctx context.Context, pos string) {
	t.Helper()
	eval[bool](t, ctx, "(document.getElementById('start').value = '') === ''")
	do(t, ctx, chromedp.Focus("#start"), chromedp.KeyEvent(pos))
}

// printBasket asks for the PDF and checks the page says to print it at
// actual size.
func printBasket(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.Click("#print"))
	waitFor(t, "print answer", 15*time.Second, func() bool {
		s := textOf(t, ctx, "print-status")
		return s != "" && !strings.Contains(s, "Preparing")
	})
	if s := textOf(t, ctx, "print-status"); !strings.Contains(s, "Download labels.pdf") || !strings.Contains(s, "actual size") {
		t.Errorf("after print: %q, want a PDF to download at actual size", s)
	}
}

// jsString quotes s for a script.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
