package web

import (
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// registerLocationPages adds /locations: the tree of places, what is at
// each now, and (for the library) the forms that create and edit them.
// /locations/new is the form, never the location coded NEW: links to a
// location always use its upper-case code (see showLocationPage).
func (s *Server) registerLocationPages(r fiber.Router) {
	look, manage := s.requirePage(tracking.PermLookup), s.requirePage(tracking.PermManage)
	r.Get("/locations", look, s.showLocations)
	r.Get("/locations/:code", look, s.showLocationPage)
	r.Get("/locations/new", manage, s.showNewLocation)
	r.Post("/locations/new", manage, s.checkCSRF, s.submitNewLocation)
	r.Get("/locations/:code/edit", manage, s.showEditLocation)
	r.Post("/locations/:code/edit", manage, s.checkCSRF, s.submitEditLocation)
}

// locationsDone says what the form just did; only these fixed sentences
// are shown, whatever the address holds.
var locationsDone = map[string]string{"created": "The location is created.", "saved": "The location is saved."}

// locationsPage is the tree (or, asked for, the list) of locations as
// the filter leaves it.
type locationsPage struct {
	Query string
	Kind  tracking.LocationKind
	Kinds []tracking.LocationKind
	List  bool
	Tree  []*tracking.LocationNode
	Found []*tracking.Location
	All   int
}

func (s *Server) showLocations(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	all, err := s.Service.FindLocations(ctx, tracking.LocationFilter{})
	if err != nil {
		return err
	}
	f := tracking.LocationFilter{Query: strings.TrimSpace(c.Query("q")), Kind: tracking.LocationKind(c.Query("kind"))}
	lp := locationsPage{Query: f.Query, Kind: f.Kind, Kinds: tracking.LocationKinds, List: c.Query("view") == "list", All: len(all)}
	for _, l := range all {
		if f.Matches(l) {
			lp.Found = append(lp.Found, l)
		}
	}
	slices.SortFunc(lp.Found, func(a, b *tracking.Location) int { return tracking.CompareCodes(a.Code, b.Code) })
	lp.Tree = tracking.PruneTree(tracking.LocationTree(all), f.Matches)
	return s.render(c, fiber.StatusOK, "locations", s.newPage(c, "Locations", lp))
}

// locationPage is one location: what it is and what is at it now.
type locationPage struct {
	*tracking.LocationContents
	Done string
}

// showLocationPage shows a location and what is at it, counted with the
// locations inside it. The lower-case address /locations/new is the form
// for a new location (Fiber matches paths in any case).
func (s *Server) showLocationPage(c *fiber.Ctx) error {
	if c.Params("code") == "new" {
		return c.Next()
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	lc, err := s.Service.LocationContents(ctx, actor(c), param(c, "code"))
	if err != nil {
		return err
	}
	p := s.newPage(c, lc.Location.Name, locationPage{LocationContents: lc, Done: locationsDone[c.Query("done")]})
	p.Path = "/locations"
	return s.render(c, fiber.StatusOK, "location", p)
}

// locationForm is the create and edit form as typed, so a form with a
// problem comes back as it was sent.
type locationForm struct {
	Code, Name, ParentCode, LegacyBarcode, GLN string
	Kind                                       tracking.LocationKind
	Sensitive                                  bool
}

func readLocationForm(c *fiber.Ctx) locationForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	return locationForm{Code: v("code"), Name: v("name"), Kind: tracking.LocationKind(v("kind")),
		ParentCode: v("parent_code"), LegacyBarcode: v("legacy_barcode"), GLN: v("gln"), Sensitive: v("sensitive") != ""}
}

// locationFormPage is the form, what was wrong with it, and the places
// a location may be put inside, in tree order.
type locationFormPage struct {
	Form    locationForm
	Editing bool
	Errors  fieldErrors
	Parents []parentChoice
	Kinds   []tracking.LocationKind
}

// parentChoice is one location offered as a parent, indented by depth.
type parentChoice struct {
	*tracking.Location
	Indent string
}

func (s *Server) showNewLocation(c *fiber.Ctx) error {
	f := locationForm{Kind: tracking.KindLibrary, ParentCode: strings.ToUpper(strings.TrimSpace(c.Query("parent")))}
	return s.renderLocationForm(c, fiber.StatusOK, locationFormPage{Form: f})
}

func (s *Server) submitNewLocation(c *fiber.Ctx) error {
	f := readLocationForm(c)
	l := &tracking.Location{Code: f.Code, Name: f.Name, Kind: f.Kind, ParentCode: f.ParentCode,
		LegacyBarcode: f.LegacyBarcode, GLN: f.GLN, Sensitive: f.Sensitive}
	ctx, cancel := s.ctx(c)
	defer cancel()
	if err := s.Service.CreateLocation(ctx, l); err != nil {
		return s.locationProblem(c, locationFormPage{Form: f}, err)
	}
	return c.Redirect(locationURL(l.Code)+"?done=created", fiber.StatusSeeOther)
}

func (s *Server) showEditLocation(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	l, err := s.Service.FindLocation(ctx, param(c, "code"))
	if err != nil {
		return err
	}
	f := locationForm{Code: l.Code, Name: l.Name, Kind: l.Kind, ParentCode: l.ParentCode, LegacyBarcode: l.LegacyBarcode, GLN: l.GLN,
		Sensitive: l.Sensitive}
	return s.renderLocationForm(c, fiber.StatusOK, locationFormPage{Form: f, Editing: true})
}

// submitEditLocation saves every field of the form: one left empty
// (parent, legacy barcode, GLN) is removed. The code never changes.
func (s *Server) submitEditLocation(c *fiber.Ctx) error {
	f := readLocationForm(c)
	f.Code = strings.ToUpper(param(c, "code"))
	set := func(v string) tracking.Optional[string] { return tracking.Optional[string]{Set: true, Value: &v} }
	upd := tracking.LocationUpdate{Name: &f.Name, Kind: &f.Kind, ParentCode: set(f.ParentCode),
		LegacyBarcode: set(f.LegacyBarcode), GLN: set(f.GLN), Sensitive: &f.Sensitive}
	ctx, cancel := s.ctx(c)
	defer cancel()
	l, err := s.Service.UpdateLocation(ctx, f.Code, upd)
	if err != nil {
		return s.locationProblem(c, locationFormPage{Form: f, Editing: true}, err)
	}
	return c.Redirect(locationURL(l.Code)+"?done=saved", fiber.StatusSeeOther)
}

// locationProblem shows the form again with the error beside its field
// (or above the form when it names none). Internal errors, and a
// location that does not exist, go to the error page.
func (s *Server) locationProblem(c *fiber.Ctx, fp locationFormPage, err error) error {
	var e *tracking.Error
	if !errors.As(err, &e) || e.Code == tracking.EINTERNAL || e.Code == tracking.ENOTFOUND {
		return err
	}
	fp.Errors = fieldErrors{e.Field: e.Message}
	return s.renderLocationForm(c, statusOf(err), fp)
}

func (s *Server) renderLocationForm(c *fiber.Ctx, status int, fp locationFormPage) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	all, err := s.Service.FindLocations(ctx, tracking.LocationFilter{})
	if err != nil {
		return err
	}
	editing := ""
	if fp.Editing {
		editing = fp.Form.Code
	}
	fp.Parents = parentChoices(tracking.LocationTree(all), "", editing)
	fp.Kinds = tracking.LocationKinds
	title := "New location"
	if fp.Editing {
		title = "Edit " + fp.Form.Code
	}
	p := s.newPage(c, title, fp)
	p.Path = "/locations"
	return s.render(c, status, "location_form", p)
}

// parentChoices lists the tree depth first, leaving out the location
// being edited and what is inside it (it cannot go inside itself).
func parentChoices(ns []*tracking.LocationNode, indent, editing string) []parentChoice {
	var out []parentChoice
	for _, n := range ns {
		if editing != "" && n.Code == editing {
			continue
		}
		out = append(out, parentChoice{Location: n.Location, Indent: indent})
		out = append(out, parentChoices(n.Children, indent+"\u00a0\u00a0", editing)...)
	}
	return out
}

// locationURL is the page of the location with the code.
func locationURL(code string) string { return "/locations/" + url.PathEscape(code) }
