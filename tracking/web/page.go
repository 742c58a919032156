package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // pages show times in the trust's zone even where the host has no zoneinfo

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

//go:embed templates
var templateFS embed.FS

// pageZone is where the people reading the pages are: times show as on
// the ward clock, not in UTC. It is loaded on first use.
var pageZone = sync.OnceValue(func() *time.Location {
	z, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return z
})

// registerPageRoutes adds the pages people use.
func (s *Server) registerPageRoutes(app *fiber.App) {
	app.Get("/static/:hash/:name", showStatic)
	pages := app.Group("", pageHeaders, readPageBody)
	s.registerLoginRoutes(pages)
	pages.Get("/", s.requirePage(tracking.PermScan), s.showHome)
	pages.Get("/scan", s.requirePage(tracking.PermScan), s.showScanStation)
	pages.Get("/camera", s.requirePage(tracking.PermScan), s.showCamera)
	pages.Get("/lookup", s.requirePage(tracking.PermLookup), s.showLookup)
	pages.Get("/labels", s.requirePage(tracking.PermManage), s.showLabels)
	pages.Get("/review", s.requirePage(tracking.PermReport), s.showReview)
	pages.Get("/audit", s.requirePage(tracking.PermReport), s.showAudit)
	s.registerAdminPages(pages)
	s.registerRequestPages(pages)
	s.registerPullListPages(pages)
	s.registerVolumePages(pages)
	s.registerSweepPages(pages)
	s.registerOverduePages(pages)
	s.registerPatientPages(pages)
	s.registerFeedPages(pages)
	pages.Post("/review/check", s.requirePage(tracking.PermReport), s.checkCSRF, s.submitCheckForm)
	s.registerRegistrationPages(pages)
	s.registerLocationPages(pages)
	s.registerReportPages(pages)
}

// pageHeaders keeps patient pages out of caches and shared-PC history,
// out of other sites' frames, and limits what a page may load to our own
// files (so an injected script could not run or send data elsewhere).
func pageHeaders(c *fiber.Ctx) error {
	if strings.HasPrefix(c.Path(), "/api/") || strings.HasPrefix(c.Path(), "/static/") || c.Path() == "/healthz" {
		return c.Next()
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderReferrerPolicy, "same-origin")
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'self'; script-src 'self'; style-src 'self'; "+
		"img-src 'self' blob: data:; media-src 'self' blob: mediastream:; connect-src 'self'; object-src 'none'; "+
		"frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	c.Set("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
	return c.Next()
}

// navItem is one link of the page header.
type navItem struct {
	Path, Label string
	Perm        tracking.Permission
}

var navItems = []navItem{
	{"/scan", "Scan", tracking.PermScan},
	{"/camera", "Camera", tracking.PermScan},
	{"/lookup", "Find notes", tracking.PermLookup},
	{"/register", "Register", tracking.PermManage},
	{"/labels", "Labels", tracking.PermManage},
	{"/locations", "Locations", tracking.PermManage},
	{"/requests", "Requests", tracking.PermManage},
	{"/pull-lists", "Pull lists", tracking.PermRequest},
	{"/review", "Review scans", tracking.PermReport},
	{"/audit", "Access log", tracking.PermReport},
	{"/sweeps", "Sweeps", tracking.PermManage},
	{"/overdue", "Overdue", tracking.PermManage},
	{"/reports", "Reports", tracking.PermReport},
	{"/retention", "Retention", tracking.PermReport},
	{"/feed", "PAS feed", tracking.PermReport},
	{"/admin", "Admin", tracking.PermAdmin},
}

// page is what every template gets: the layout's needs plus the page's
// own data in Data.
type page struct {
	Title  string
	Path   string
	User   string
	Role   tracking.Role
	CSRF   string
	Nav    []navItem
	Data   any
	Status int
}

// Manages reports whether the person may manage patients, volumes and
// labels, for pages that offer those actions beside what they show.
func (p *page) Manages() bool { return p.Role.Can(tracking.PermManage) }

// newPage fills the layout's fields from the request's session.
func (s *Server) newPage(c *fiber.Ctx, title string, data any) *page {
	p := &page{Title: title, Path: c.Path(), Data: data}
	if sess, _ := c.Locals(sessionKey).(*tracking.Session); sess != nil {
		p.User, p.Role, p.CSRF = sess.User, sess.Role, sess.CSRF
		for _, n := range navItems {
			if sess.Role.Can(n.Perm) {
				p.Nav = append(p.Nav, n)
			}
		}
	}
	return p
}

// render writes a page through a buffer, so that a template error becomes
// a clean error page rather than half a page.
func (s *Server) render(c *fiber.Ctx, status int, name string, p *page) error {
	pages, err := pageTemplates()
	if err != nil {
		return err
	}
	t, ok := pages[name]
	if !ok {
		return tracking.Errorf(tracking.EINTERNAL, "no template %s", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return &renderError{name: name, err: err}
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(buf.Bytes())
}

// renderError keeps a template's failure for the log; people see only
// "Internal error.".
type renderError struct {
	name string
	err  error
}

func (e *renderError) Error() string { return "render " + e.name + ": " + e.err.Error() }
func (e *renderError) Unwrap() error { return e.err }

// pageTemplates holds each page parsed with the shared layout, parsed
// when the first page is rendered.
var pageTemplates = sync.OnceValues(parsePages)

func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/page_*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		t, err := template.New("").Funcs(pageFuncs).ParseFS(templateFS, "templates/layout.html", "templates/part_*.html", n)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		out[strings.TrimSuffix(strings.TrimPrefix(n, "templates/page_"), ".html")] = t
	}
	return out, nil
}

var pageFuncs = template.FuncMap{
	"asset":   assetURL,
	"nhs":     tracking.FormatNHSNumber,
	"when":    formatWhen,
	"howlong": howLong,
	"exact":   formatExact,
	"age":     ageOf,
	"upper":   strings.ToUpper,
	"caption": caption,
	"hasPerm": func(r tracking.Role, p tracking.Permission) bool { return r.Can(p) },
	"action":  actionLabel,
	// args hands a partial template several values: {{template "x" (args $ .)}}.
	"args": func(vals ...any) []any { return vals },
}

// formatWhen shows a time as a person on the ward reads it.
func formatWhen(t tracking.Timestamp) string {
	if t.IsZero() {
		return ""
	}
	return t.In(pageZone()).Format("Mon 2 Jan 2006 15:04")
}

// howLong says how long ago a time was, as "8 days" or "just now".
func howLong(t tracking.Timestamp) string { return tracking.HowLong(t.Time, time.Now()) }

// formatExact shows a time to the second, for a record of who did what.
func formatExact(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(pageZone()).Format("Mon 2 Jan 2006 15:04:05")
}

func (s *Server) showHome(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "home", s.newPage(c, "casetrack", nil))
}

// showErrorPage is the HTML face of the central error handler. A person
// whose session ended is sent to sign in rather than shown a 401.
func (s *Server) showErrorPage(c *fiber.Ctx, status int, e *tracking.Error) error {
	if status == fiber.StatusUnauthorized && safeMethod(c.Method()) {
		return c.Redirect("/login?next="+urlQueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if _, err := s.currentSession(c); err != nil {
		s.Logger.Error("session on error page", "err", err)
	}
	err := s.render(c, status, "error", s.newPage(c, "Problem", e))
	if err != nil {
		s.Logger.Error("render error page", "err", err)
		return c.Status(status).SendString(e.Message)
	}
	return nil
}
