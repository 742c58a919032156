package web

import (
	"errors"
	"net/url"
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// registerAdminPages adds /admin, where administrators manage who may sign
// in and which device apps may call the API.
func (s *Server) registerAdminPages(r fiber.Router) {
	admin := s.requirePage(tracking.PermAdmin)
	r.Get("/admin", admin, s.showAdmin)
	r.Post("/admin/users", admin, s.checkCSRF, s.submitUserForm)
	r.Post("/admin/users/:name/disable", admin, s.checkCSRF, s.submitDisableUserForm)
	r.Post("/admin/users/:name/enable", admin, s.checkCSRF, s.submitEnableUserForm)
	r.Post("/admin/users/:name/unlock", admin, s.checkCSRF, s.submitUnlockUserForm)
	r.Post("/admin/users/:name/role", admin, s.checkCSRF, s.submitUserRoleForm)
	r.Post("/admin/password", admin, s.checkCSRF, s.submitPasswordForm)
	r.Post("/admin/tokens", admin, s.checkCSRF, s.submitTokenForm)
	r.Post("/admin/tokens/:name/revoke", admin, s.checkCSRF, s.submitRevokeTokenForm)
}

// adminPage is the list of users and tokens, the forms that add them and
// set a password, and what the last action did.
type adminPage struct {
	Users      []adminUser
	Tokens     []adminToken
	Roles      []roleChoice
	UserForm   newUserForm
	UserErrors fieldErrors
	// PasswordUser is who the set-a-password form was last for.
	PasswordUser   string
	PasswordErrors fieldErrors
	TokenForm      newTokenForm
	TokenErrors    fieldErrors
	Problem        string
	Done           string
	TokenTTL       int
}

// adminUser and adminToken are list rows with the address their button
// posts to, the name escaped as a path segment (a user's actions are
// Action plus /disable, /enable, /unlock or /role).
type adminUser struct {
	userJSON
	Me     bool
	Action string
}

type adminToken struct {
	tokenJSON
	Action string
}

// roleChoice is a role as the forms offer it, with what it may do.
type roleChoice struct {
	Role tracking.Role
	Says string
}

var roleChoices = []roleChoice{
	{tracking.RolePorter, "scan and look up"},
	{tracking.RoleClerk, "also request notes"},
	{tracking.RoleLibrary, "also manage patients, volumes, locations and labels"},
	{tracking.RoleRecords, "also reports and the review of scans"},
	{tracking.RoleAdmin, "everything, and users and tokens"},
	{tracking.RoleDevice, "for a scanning device or app; scan and look up"},
}

// The forms as they first appear: most new users are porters, most new
// tokens are for scanning devices.
var (
	blankUserForm  = newUserForm{Role: tracking.RolePorter}
	blankTokenForm = newTokenForm{Role: tracking.RoleDevice}
)

// fieldErrors maps a form field to what is wrong with it; "" holds a
// problem of the form as a whole.
type fieldErrors map[string]string

// adminDone says what a finished action did; the page shows only these
// fixed sentences, whatever the address holds.
var adminDone = map[string]string{
	"user-created":  "User %s can now sign in.",
	"user-disabled": "User %s is disabled and signed out everywhere.",
	"user-enabled":  "User %s can sign in again.",
	"user-role":     "User %s has a new role, from their next step on.",
	"user-password": "User %s has a new password and is signed out everywhere.",
	"user-unlocked": "User %s may sign in again from anywhere.",
	"token-revoked": "Token %s is revoked.",
}

func (s *Server) showAdmin(c *fiber.Ctx) error {
	ap := adminPage{UserForm: blankUserForm, TokenForm: blankTokenForm}
	if f, ok := adminDone[c.Query("done")]; ok {
		ap.Done = strings.Replace(f, "%s", c.Query("name"), 1)
	}
	return s.renderAdmin(c, fiber.StatusOK, ap)
}

// renderAdmin fills in the lists and shows the page.
func (s *Server) renderAdmin(c *fiber.Ctx, status int, ap adminPage) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	us, err := s.userViews(c)
	if err != nil {
		return err
	}
	ts, err := s.Service.FindTokens(ctx)
	if err != nil {
		return err
	}
	me := actor(c).Name
	for _, u := range us {
		ap.Users = append(ap.Users, adminUser{userJSON: u, Me: u.Name == me,
			Action: "/admin/users/" + url.PathEscape(u.Name)})
	}
	for _, t := range ts {
		ap.Tokens = append(ap.Tokens, adminToken{tokenJSON: tokenView(t),
			Action: "/admin/tokens/" + url.PathEscape(t.Name) + "/revoke"})
	}
	ap.Roles, ap.TokenTTL = roleChoices, int(tracking.TokenTTL.Seconds())
	p := s.newPage(c, "Administration", ap)
	p.Path = "/admin" // a form posted elsewhere is still this page
	return s.render(c, status, "admin", p)
}

// formProblem shows the page again with what was wrong: beside the
// fields of the form named ("user" or "token"), or at the top. Internal
// errors are not the person's to fix: they go to the error page.
func (s *Server) formProblem(c *fiber.Ctx, err error, ap adminPage, form string) error {
	if tracking.ErrorCode(err) == tracking.EINTERNAL {
		return err
	}
	fe := errorsByField(err)
	ap.Problem = fe[""]
	delete(fe, "")
	switch {
	case form == "user":
		ap.UserErrors = fe
	case form == "token":
		ap.TokenErrors = fe
	case form == "password":
		ap.PasswordErrors = fe
	case len(fe) > 0 && ap.Problem == "":
		ap.Problem = tracking.ErrorMessage(err)
	}
	return s.renderAdmin(c, statusOf(err), ap)
}

// errorsByField spreads joined errors over the fields they name. A clash
// is a name already taken.
func errorsByField(err error) fieldErrors {
	out := fieldErrors{}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var te *tracking.Error
		if !errors.As(e, &te) {
			continue
		}
		field := te.Field
		if te.Code == tracking.ECONFLICT {
			field = "name"
		}
		if _, seen := out[field]; !seen {
			out[field] = te.Message
		}
	}
	return out
}
