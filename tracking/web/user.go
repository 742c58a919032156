package web

import (
	"errors"
	"net/url"
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// registerUserRoutes adds the API for users, for administrators only;
// the /admin page makes the same changes through the same functions.
func (s *Server) registerUserRoutes(r fiber.Router) {
	admin := require(tracking.PermAdmin)
	r.Get("/users", admin, s.listUsers)
	r.Post("/users", admin, s.submitUser)
	r.Post("/users/:name/disable", admin, s.submitDisableUser)
	r.Post("/users/:name/unlock", admin, s.submitUnlockUser)
	r.Patch("/users/:name", admin, s.submitUserChange)
}

// actorKey is where a request's actor is kept among its locals.
const actorKey = "casetrack.actor"

// actor returns who is making the request; only routes behind an
// authenticating middleware call it.
func actor(c *fiber.Ctx) tracking.Actor {
	a, _ := c.Locals(actorKey).(tracking.Actor)
	return a
}

// require lets a request through only when the actor's role has p.
func require(p tracking.Permission) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !actor(c).Role.Can(p) {
			return tracking.Errorf(tracking.EFORBIDDEN, "Your role (%s) may not do this.", actor(c).Role)
		}
		return c.Next()
	}
}

// userJSON is a user as the API shows it: never the password hash.
// LockedOut says that sign-ins under their name are refused from at
// least one address (too many failures there); unlocking them ends it.
type userJSON struct {
	Name      string             `json:"name"`
	Role      tracking.Role      `json:"role"`
	CreatedAt tracking.Timestamp `json:"created_at"`
	Disabled  bool               `json:"disabled"`
	LockedOut bool               `json:"locked_out,omitempty"`
}

func userView(u *tracking.User) userJSON {
	return userJSON{Name: u.Name, Role: u.Role, CreatedAt: tracking.TimestampOf(u.CreatedAt), Disabled: u.Disabled}
}

func (s *Server) listUsers(c *fiber.Ctx) error {
	views, err := s.userViews(c)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"users": views})
}

// userViews lists every user as the API and the admin page show them,
// with whether they are locked out of signing in somewhere.
func (s *Server) userViews(c *fiber.Ctx) ([]userJSON, error) {
	ctx, cancel := s.ctx(c)
	defer cancel()
	us, err := s.Service.FindUsers(ctx)
	if err != nil {
		return nil, err
	}
	locks, err := s.Service.SignInLocks(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]userJSON, len(us))
	for i, u := range us {
		out[i] = userView(u)
		out[i].LockedOut = locks[tracking.NameKey(u.Name)] > 0
	}
	return out, nil
}

// newUserForm is a new user as the API and the page send it.
type newUserForm struct {
	Name     string        `json:"name"`
	Role     tracking.Role `json:"role"`
	Password string        `json:"password"`
}

func (s *Server) submitUser(c *fiber.Ctx) error {
	var f newUserForm
	if err := decodeJSON(c, jsonLimit, &f); err != nil {
		return err
	}
	u, err := s.createUser(c, f)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(userView(u))
}

func (s *Server) submitDisableUser(c *fiber.Ctx) error {
	name := param(c, "name")
	if _, err := s.changeUser(c, name, tracking.UserChange{Disabled: new(true)}); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"name": name, "disabled": true})
}

// submitUnlockUser lets a user locked out by failed sign-ins sign in
// again from anywhere at once.
func (s *Server) submitUnlockUser(c *fiber.Ctx) error {
	name := param(c, "name")
	if err := s.unlockUser(c, name); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"name": name, "unlocked": true})
}

func (s *Server) unlockUser(c *fiber.Ctx, name string) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	return s.Service.UnlockUser(ctx, actor(c), name)
}

// submitUserChange changes a user's role, enables or disables them, or
// sets their password, and answers with the user as they now are.
func (s *Server) submitUserChange(c *fiber.Ctx) error {
	var ch tracking.UserChange
	if err := decodeJSON(c, jsonLimit, &ch); err != nil {
		return err
	}
	u, err := s.changeUser(c, param(c, "name"), ch)
	if err != nil {
		return err
	}
	return c.JSON(userView(u))
}

// createUser asks the service for a new user. A failed check returns every
// field's problem joined (see tracking.NewUser).
func (s *Server) createUser(c *fiber.Ctx, f newUserForm) (*tracking.User, error) {
	ctx, cancel := s.ctx(c)
	defer cancel()
	return s.Service.CreateUser(ctx, actor(c), f.Name, f.Role, f.Password)
}

// changeUser asks the service to change a user.
func (s *Server) changeUser(c *fiber.Ctx, name string, ch tracking.UserChange) (*tracking.User, error) {
	ctx, cancel := s.ctx(c)
	defer cancel()
	return s.Service.ChangeUser(ctx, actor(c), name, ch)
}

func (s *Server) submitUserForm(c *fiber.Ctx) error {
	f := newUserForm{Name: strings.TrimSpace(c.FormValue("name")), Role: tracking.Role(c.FormValue("role")),
		Password: c.FormValue("password")}
	var mismatch error
	if f.Password != c.FormValue("password2") {
		mismatch = tracking.FieldError("password2", "The two passwords do not match: type the same password twice.")
	}
	err := errors.Join(tracking.ValidateNewUser(f.Name, f.Role, f.Password), mismatch)
	if err == nil {
		_, err = s.createUser(c, f)
	}
	if err != nil {
		f.Password = ""
		return s.formProblem(c, err, adminPage{UserForm: f, TokenForm: blankTokenForm}, "user")
	}
	return c.Redirect("/admin?done=user-created&name="+url.QueryEscape(f.Name), fiber.StatusSeeOther)
}

func (s *Server) submitDisableUserForm(c *fiber.Ctx) error {
	return s.userChangeForm(c, tracking.UserChange{Disabled: new(true)}, "user-disabled")
}

func (s *Server) submitEnableUserForm(c *fiber.Ctx) error {
	return s.userChangeForm(c, tracking.UserChange{Disabled: new(false)}, "user-enabled")
}

func (s *Server) submitUnlockUserForm(c *fiber.Ctx) error {
	name := param(c, "name")
	if err := s.unlockUser(c, name); err != nil {
		return s.formProblem(c, err, adminPage{UserForm: blankUserForm, TokenForm: blankTokenForm}, "")
	}
	return c.Redirect("/admin?done=user-unlocked&name="+url.QueryEscape(name), fiber.StatusSeeOther)
}

func (s *Server) submitUserRoleForm(c *fiber.Ctx) error {
	return s.userChangeForm(c, tracking.UserChange{Role: new(tracking.Role(c.FormValue("role")))}, "user-role")
}

// userChangeForm applies a change from a user's row, then shows the list
// again saying what was done, or what was wrong.
func (s *Server) userChangeForm(c *fiber.Ctx, ch tracking.UserChange, done string) error {
	name := param(c, "name")
	if _, err := s.changeUser(c, name, ch); err != nil {
		return s.formProblem(c, err, adminPage{UserForm: blankUserForm, TokenForm: blankTokenForm}, "")
	}
	return c.Redirect("/admin?done="+done+"&name="+url.QueryEscape(name), fiber.StatusSeeOther)
}

// submitPasswordForm sets the password of the user chosen, typed twice:
// the way a user who forgot theirs gets back in.
func (s *Server) submitPasswordForm(c *fiber.Ctx) error {
	name, password := c.FormValue("name"), c.FormValue("password")
	var err error
	switch {
	case name == "":
		err = tracking.FieldError("name", "Choose whose password to set.")
	case password != c.FormValue("password2"):
		err = tracking.FieldError("password2", "The two passwords do not match: type the same password twice.")
	default:
		_, err = s.changeUser(c, name, tracking.UserChange{Password: &password})
	}
	if err != nil {
		return s.formProblem(c, err, adminPage{UserForm: blankUserForm, TokenForm: blankTokenForm, PasswordUser: name}, "password")
	}
	return c.Redirect("/admin?done=user-password&name="+url.QueryEscape(name), fiber.StatusSeeOther)
}
