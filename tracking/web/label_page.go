package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/casetrack/casetrack/labels"
	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// sheetChoices are the A4 sheets the labels package lays out, and any the
// site configured, as the page offers them.
func sheetChoices(ls []labels.Layout) []labelLayout {
	out := make([]labelLayout, len(ls))
	for i, l := range ls {
		n := l.Columns * l.Rows
		out[i] = labelLayout{Name: l.Name, PerSheet: n, Columns: l.Columns, Rows: l.Rows,
			Title: fmt.Sprintf("%s — %d per sheet (%g × %g mm)", l.Name, n, l.LabelWidth, l.LabelHeight)}
	}
	return out
}

// labelLayout is one sheet choice and its grid, so the page can offer
// only start positions that exist and draw which ones a print will use.
type labelLayout struct {
	Name, Title             string
	PerSheet, Columns, Rows int
}

// labelsPage is what the label page found and can print to. What is
// chosen lives in the page's basket (the browser tab's storage, for the
// signed-in person only), so it outlasts each search.
type labelsPage struct {
	Query, LocationQuery string
	Found                *foundPatients
	Locations            []*tracking.Location
	// Today lists the day's new registrations when asked for.
	Today     []*tracking.Volume
	ShowToday bool
	// Added is the volume just registered or added, put in the basket.
	Added    *tracking.Volume
	Done     string
	Layouts  []labelLayout
	Printers []Printer
	Problem  string
	// Merge is the merge whose folders to relabel (?merge=): their labels
	// go into the basket. OpenMerges counts the merges whose folders
	// still wait to be relabelled.
	Merge      *tracking.Merge
	OpenMerges int
	// Put are the locations sent from the locations page (ticked, or a
	// range of codes): their labels go into the basket.
	Put []*tracking.Location
}

// caption names a volume's label in the basket: whose it is and which.
// The patient is given apart, as a search's volumes do not carry theirs.
func caption(p *tracking.Patient, v *tracking.Volume) string {
	s := fmt.Sprintf("%s, %s · Vol %d", strings.ToUpper(p.FamilyName), p.GivenName, v.Number)
	if v.Count > 0 {
		s += fmt.Sprintf(" of %d", v.Count)
	}
	return s + " · " + v.Barcode
}

// showLabels finds patients' volumes and locations to label. Choosing,
// previewing and printing happen in the page's script against the label
// API, so the same endpoints serve the page and integrators.
func (s *Server) showLabels(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	lp := labelsPage{Query: strings.TrimSpace(c.Query("q")), LocationQuery: strings.TrimSpace(c.Query("location")),
		Layouts: sheetChoices(append(labels.Layouts(), s.Layouts...)), Printers: s.Printers,
		ShowToday: c.Query("today") != "", Done: c.Query("done")}
	err := s.findForLabels(ctx, actor(c), &lp, strings.TrimSpace(c.Query("added")))
	if err == nil {
		err = s.findRelabels(ctx, actor(c), &lp, c.Query("merge"))
	}
	if err == nil {
		lp.Put, err = s.locationsToLabel(ctx, queryValues(c, "label"), c.Query("from"), c.Query("to"))
	}
	if err != nil {
		if tracking.ErrorCode(err) == tracking.EINTERNAL {
			return err
		}
		lp.Problem = tracking.ErrorMessage(err)
	}
	return s.render(c, fiber.StatusOK, "labels", s.newPage(c, "Labels", lp))
}

// findForLabels fills the page: the volume just added, the patients
// searched for, the day's registrations and the locations.
func (s *Server) findForLabels(ctx context.Context, a tracking.Actor, lp *labelsPage, added string) error {
	if added != "" {
		v, err := s.Service.FindVolume(ctx, a, added)
		if err != nil {
			return err
		}
		lp.Added = v
	}
	if lp.Query != "" {
		found, err := s.Service.SearchPatients(ctx, a, tracking.SearchFilter(lp.Query))
		if err != nil {
			return err
		}
		lp.Found = &foundPatients{Patients: viewsOf(found), Total: found.Total}
	}
	if lp.ShowToday {
		var err error
		if lp.Today, err = s.Service.RegisteredSince(ctx, a, startOfDay(time.Now())); err != nil {
			return err
		}
	}
	var err error
	lp.Locations, err = s.Service.FindLocations(ctx, tracking.LocationFilter{Query: lp.LocationQuery, Limit: 200})
	return err
}

// findRelabels fills in the merge whose folders' labels changed, when the
// page was asked for one, and how many merges still wait for labels.
func (s *Server) findRelabels(ctx context.Context, a tracking.Actor, lp *labelsPage, merge string) error {
	var err error
	if lp.OpenMerges, err = s.Service.CountOpenMerges(ctx); err != nil {
		return err
	}
	id, perr := strconv.ParseInt(merge, 10, 64)
	if perr != nil || id <= 0 {
		return nil
	}
	lp.Merge, err = s.Service.FindMerge(ctx, a, id)
	return err
}

// startOfDay is midnight of t's day on the ward clock.
func startOfDay(t time.Time) time.Time {
	y, m, d := t.In(pageZone()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, pageZone())
}

// locationsToLabel finds the locations the locations page sent: those
// ticked (codes) and those whose codes lie in a range.
func (s *Server) locationsToLabel(ctx context.Context, codes []string, from, to string) ([]*tracking.Location, error) {
	var out []*tracking.Location
	for _, code := range codes {
		l, err := s.Service.FindLocation(ctx, code)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	if strings.TrimSpace(from+to) == "" {
		return out, nil
	}
	all, err := s.Service.FindLocations(ctx, tracking.LocationFilter{})
	if err != nil {
		return nil, err
	}
	inRange, err := tracking.LocationRange(all, from, to)
	return append(out, inRange...), err
}

// queryValues is every value of a repeated query parameter, copied out
// of Fiber's buffers.
func queryValues(c *fiber.Ctx, key string) []string {
	var out []string
	for _, v := range c.Context().QueryArgs().PeekMulti(key) {
		if s := strings.TrimSpace(string(v)); s != "" {
			out = append(out, s)
		}
	}
	return out
}
