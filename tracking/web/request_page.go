package web

import (
	"bytes"
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// registerRequestPages adds the request queue and asking for notes from
// the lookup page.
func (s *Server) registerRequestPages(pages fiber.Router) {
	pages.Get("/requests", s.requirePage(tracking.PermManage), s.showRequests)
	pages.Get("/requests/:id/row", s.requirePage(tracking.PermManage), s.showRequestRow)
	pages.Post("/requests/:id/cancel", s.requirePage(tracking.PermRequest), s.checkCSRF, s.submitCancelRequest)
	pages.Post("/lookup/request", s.requirePage(tracking.PermRequest), s.checkCSRF, s.submitLookupRequest)
}

// requestsPage is the library's open queue at one place or all.
type requestsPage struct {
	Rows      []requestRow
	Locations []*tracking.Location
	Location  string
	Done      string
	Problem   string
}

// showRequests is the open queue by need, urgent first at equal times,
// late ones marked; the page's script keeps it up to date.
func (s *Server) showRequests(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	rp := requestsPage{Location: strings.TrimSpace(c.Query("location")), Done: c.Query("done")}
	var err error
	if rp.Locations, err = s.Service.FindLocations(ctx, tracking.LocationFilter{Limit: 500}); err != nil {
		return err
	}
	rs, err := s.Service.FindRequests(ctx, actor(c), tracking.RequestFilter{Status: tracking.RequestOpen,
		Location: rp.Location, Limit: 500})
	if tracking.ErrorCode(err) == tracking.EINVALID {
		rp.Problem, err = tracking.ErrorMessage(err), nil
	}
	if err != nil {
		return err
	}
	p := s.newPage(c, "Requests", &rp)
	for _, r := range rs {
		rp.Rows = append(rp.Rows, requestRow{r, p.CSRF, rp.Location})
	}
	return s.render(c, fiber.StatusOK, "requests", p)
}

// showRequestRow is one row of the queue, for the page's script to add
// when news of a request arrives.
func (s *Server) showRequestRow(c *fiber.Ctx) error {
	r, err := s.findRequest(c)
	if err != nil {
		return err
	}
	return s.renderPart(c, "requests", "requestrow", requestRow{r, s.newPage(c, "", nil).CSRF, c.Query("location")})
}

// requestRow is a request as a row of the queue, with what its cancel
// form needs.
type requestRow struct {
	*tracking.Request
	CSRF, Back string
}

// renderPart writes one named template of a page, without the layout.
func (s *Server) renderPart(c *fiber.Ctx, page, name string, data any) error {
	pages, err := pageTemplates()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := pages[page].ExecuteTemplate(&buf, name, data); err != nil {
		return &renderError{name: name, err: err}
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(buf.Bytes())
}

func (s *Server) submitCancelRequest(c *fiber.Ctx) error {
	id, err := requestID(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	back := "/requests?location=" + url.QueryEscape(c.FormValue("location"))
	if _, err := s.Service.CancelRequest(ctx, actor(c), id); err != nil {
		if tracking.ErrorCode(err) == tracking.EINTERNAL {
			return err
		}
		return c.Redirect(back+"&done="+url.QueryEscape(tracking.ErrorMessage(err)), fiber.StatusSeeOther)
	}
	return c.Redirect(back+"&done="+url.QueryEscape("Request "+strconv.FormatInt(id, 10)+" cancelled."), fiber.StatusSeeOther)
}

// lookupRequests is what the lookup page shows of requests: the form to
// ask for a patient's notes, and each volume's open requests.
type lookupRequests struct {
	CanRequest bool
	// Default is where the person last asked notes to go.
	Default  string
	NeededBy string
	ByVolume map[int64][]*tracking.Request
	Done     string
	Problem  string
}

// lookupRequestsFor gathers the lookup page's requests for the patients
// found.
func (s *Server) lookupRequestsFor(ctx context.Context, c *fiber.Ctx, ps []patientView) (lookupRequests, error) {
	a := actor(c)
	lr := lookupRequests{CanRequest: a.Role.Can(tracking.PermRequest), Done: c.Query("requested"), Problem: c.Query("request_problem"),
		NeededBy: time.Now().In(pageZone()).Add(2 * time.Hour).Format("2006-01-02T15:04"), ByVolume: map[int64][]*tracking.Request{}}
	if lr.CanRequest {
		if l, err := s.Service.LastRequestLocation(ctx, a); err != nil {
			return lr, err
		} else if l != nil {
			lr.Default = l.Code
		}
	}
	var ids []int64
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	if len(ids) == 0 {
		return lr, nil
	}
	rs, err := s.Service.FindRequests(ctx, a, tracking.RequestFilter{Status: tracking.RequestOpen, PatientIDs: ids})
	for _, r := range rs {
		for _, v := range r.Volumes {
			lr.ByVolume[v.ID] = append(lr.ByVolume[v.ID], r)
		}
	}
	return lr, err
}

// submitLookupRequest asks for a patient's notes from the lookup page and
// goes back to it.
func (s *Server) submitLookupRequest(c *fiber.Ctx) error {
	in := tracking.RequestInput{Patient: c.FormValue("patient"), Location: c.FormValue("location"),
		NeededBy: c.FormValue("needed_by"), Priority: tracking.Priority(c.FormValue("priority")), Note: c.FormValue("note")}
	back := "/lookup?q=" + url.QueryEscape(c.FormValue("q"))
	ctx, cancel := s.ctx(c)
	defer cancel()
	r, err := s.Service.CreateRequest(ctx, actor(c), in)
	if err != nil {
		if tracking.ErrorCode(err) == tracking.EINTERNAL {
			return err
		}
		return c.Redirect(back+"&request_problem="+url.QueryEscape(tracking.ErrorMessage(err)), fiber.StatusSeeOther)
	}
	msg := "Requested: the notes are wanted at " + r.Location.Name + "."
	if r.Status == tracking.RequestFulfilled {
		msg = "The notes are already at " + r.Location.Name + "."
	}
	return c.Redirect(back+"&requested="+url.QueryEscape(msg), fiber.StatusSeeOther)
}
