package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// registerRegistrationPages adds /register, where the library registers a
// new patient or a new volume for one already known, and goes straight on
// to printing the labels.
func (s *Server) registerRegistrationPages(r fiber.Router) {
	manage := s.requirePage(tracking.PermManage)
	r.Get("/register", manage, s.showRegister)
	r.Post("/register", manage, s.checkCSRF, s.submitRegister)
	r.Get("/register/volume", manage, s.showAddVolume)
	r.Post("/register/volume", manage, s.checkCSRF, s.submitAddVolume)
}

// registerForm is the registration form as typed, so a form with a
// problem comes back as it was sent.
type registerForm struct {
	HospitalNumber, NHSNumber, FamilyName, GivenName string
	BirthDay, BirthMonth, BirthYear                  string
	Home                                             string
	// CheckedName is the name whose namesakes were shown, and Different
	// says the person has checked that this is someone else.
	CheckedName string
	Different   bool
}

// registerPage is the form, what was wrong with it, and the patients of
// the same name when there are some to check first.
type registerPage struct {
	Form      registerForm
	Errors    fieldErrors
	Namesakes []patientView
	Libraries []*tracking.Location
}

func readRegisterForm(c *fiber.Ctx) registerForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	return registerForm{HospitalNumber: v("hospital_number"), NHSNumber: v("nhs_number"),
		FamilyName: v("family_name"), GivenName: v("given_name"),
		BirthDay: v("birth_day"), BirthMonth: v("birth_month"), BirthYear: v("birth_year"),
		Home: v("home"), CheckedName: c.FormValue("checked_name"), Different: c.FormValue("different") == "yes"}
}

// nameKey is the name as the form last showed namesakes for: a changed
// name must be checked again.
func (f registerForm) nameKey() string {
	return strconv.Quote(strings.ToLower(f.FamilyName)) + strconv.Quote(strings.ToLower(f.GivenName))
}

func (s *Server) showRegister(c *fiber.Ctx) error {
	return s.renderRegister(c, fiber.StatusOK, registerPage{})
}

// submitRegister registers the patient and goes on to their label, or
// shows the form again with what was wrong, or with the patients of the
// same name for the person to check first.
func (s *Server) submitRegister(c *fiber.Ctx) error {
	f := readRegisterForm(c)
	rp := registerPage{Form: f}
	birth, err := tracking.DateFromParts("birth_date", f.BirthDay, f.BirthMonth, f.BirthYear)
	if err != nil {
		return s.registerProblem(c, rp, err)
	}
	p := &tracking.Patient{HospitalNumber: f.HospitalNumber, NHSNumber: f.NHSNumber,
		FamilyName: f.FamilyName, GivenName: f.GivenName, BirthDate: birth}
	ctx, cancel := s.ctx(c)
	defer cancel()
	seen := f.Different && f.CheckedName == f.nameKey()
	same, err := s.Service.RegisterPatient(ctx, actor(c), p, tracking.VolumeInput{Home: f.Home}, seen)
	if err != nil {
		return s.registerProblem(c, rp, err)
	}
	if len(same) > 0 {
		for _, p := range same {
			rp.Namesakes = append(rp.Namesakes, patientView{Patient: p})
		}
		rp.Form.CheckedName, rp.Form.Different = f.nameKey(), false
		return s.renderRegister(c, fiber.StatusOK, rp)
	}
	return c.Redirect(labelsAfter("registered", p.HospitalNumber, p.Volumes[0].Barcode), fiber.StatusSeeOther)
}

// registerProblem shows the form again with the error beside its field.
// Internal errors are not the person's to fix: they go to the error page.
func (s *Server) registerProblem(c *fiber.Ctx, rp registerPage, err error) error {
	var e *tracking.Error
	if !errors.As(err, &e) || e.Code == tracking.EINTERNAL {
		return err
	}
	rp.Errors = fieldErrors{e.Field: e.Message}
	return s.renderRegister(c, statusOf(err), rp)
}

func (s *Server) renderRegister(c *fiber.Ctx, status int, rp registerPage) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	libs, err := s.Service.FindLocations(ctx, tracking.LocationFilter{Kind: tracking.KindLibrary, Limit: 500})
	if err != nil {
		return err
	}
	rp.Libraries = libs
	p := s.newPage(c, "Register a patient", rp)
	p.Path = "/register"
	return s.render(c, status, "register", p)
}

// addVolumePage finds the patient who needs a new volume, then shows their
// volumes and the number the new one will have.
type addVolumePage struct {
	Query   string
	Found   *foundPatients
	Patient *patientView
	Next    int
	Problem string
	// Missing are the patient's missing volumes, which a temporary
	// folder may stand in for.
	Missing []*tracking.Volume
}

// showAddVolume searches for the patient (q), or shows the one chosen
// (hospital_number) with the volume to be added.
func (s *Server) showAddVolume(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	vp := addVolumePage{Query: strings.TrimSpace(c.Query("q"))}
	var err error
	switch hn := strings.TrimSpace(c.Query("hospital_number")); {
	case hn != "":
		var found *tracking.PatientSearch
		found, err = s.Service.SearchPatients(ctx, actor(c), tracking.PatientFilter{HospitalNumber: hn})
		if err == nil && len(found.Patients) == 0 {
			err = tracking.Errorf(tracking.ENOTFOUND, "No patient has the hospital number %s.", hn)
		}
		if err == nil {
			p := found.Patients[0]
			vp.Patient = &patientView{Patient: p, SameName: found.SameName[p.ID]}
			vp.Next = tracking.NextVolumeNumber(p.Volumes)
			for _, v := range p.Volumes {
				if v.Status == tracking.StatusMissing {
					vp.Missing = append(vp.Missing, v)
				}
			}
		}
	case vp.Query != "":
		var found *tracking.PatientSearch
		if found, err = s.Service.SearchPatients(ctx, actor(c), tracking.SearchFilter(vp.Query)); err == nil {
			vp.Found = &foundPatients{Patients: viewsOf(found), Total: found.Total}
		}
	}
	if err != nil {
		if tracking.ErrorCode(err) == tracking.EINTERNAL {
			return err
		}
		vp.Problem = tracking.ErrorMessage(err)
	}
	p := s.newPage(c, "Add a volume", vp)
	p.Path = "/register"
	return s.render(c, fiber.StatusOK, "register_volume", p)
}

// submitAddVolume opens the patient's next volume, or a temporary
// folder (standing in for a missing one, when named), and goes on to its
// label.
func (s *Server) submitAddVolume(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	in := tracking.VolumeInput{Temporary: c.FormValue("temporary") == "yes", Original: strings.TrimSpace(c.FormValue("original"))}
	v, err := s.Service.AddVolume(ctx, actor(c), c.FormValue("hospital_number"), in)
	if err != nil {
		return err
	}
	return c.Redirect(labelsAfter("volume", v.Patient.HospitalNumber, v.Barcode), fiber.StatusSeeOther)
}

// labelsAfter is the labels page showing the patient's folders with the
// new one in the basket, and saying what was just done.
func labelsAfter(done, hospitalNumber, barcode string) string {
	return "/labels?" + url.Values{"done": {done}, "q": {hospitalNumber}, "added": {barcode}}.Encode()
}
