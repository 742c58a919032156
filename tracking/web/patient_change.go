package web

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// registerPatientChangeRoutes adds the API that changes a patient's
// details and merges duplicate records.
func (s *Server) registerPatientChangeRoutes(r fiber.Router) {
	manage := require(tracking.PermManage)
	r.Patch("/patients/:hospital_number", manage, s.updatePatient)
	r.Post("/patients/:hospital_number/merge", manage, s.mergePatient)
	r.Get("/merges", manage, s.listMerges)
	r.Post("/merges/:id/done", manage, s.finishMerge)
	s.registerHoldRoutes(r)
}

// patientJSON is a patient as PATCH and merge answer it: with every volume,
// and a death date that is always there (null while alive).
type patientJSON struct {
	*tracking.Patient
	DeathDate *tracking.Date     `json:"death_date"`
	Volumes   []*tracking.Volume `json:"volumes"`
}

func patientAnswer(p *tracking.Patient) patientJSON {
	return patientJSON{Patient: p, DeathDate: p.DeathDate, Volumes: nonNil(p.Volumes)}
}

// patientFields are the fields a PATCH may change; any other is refused,
// so that a misspelt field is an error rather than nothing done.
var patientFields = map[string]bool{"nhs_number": true, "family_name": true, "given_name": true, "birth_date": true, "death_date": true}

// decodePatientChange reads a PATCH body: a field absent keeps its value,
// null clears it, a value sets it.
func decodePatientChange(c *fiber.Ctx) (tracking.PatientChange, error) {
	var raw map[string]json.RawMessage
	var ch tracking.PatientChange
	if err := decodeJSON(c, jsonLimit, &raw); err != nil {
		return ch, err
	}
	for name := range raw {
		if name == "hospital_number" {
			return ch, tracking.FieldError(name, "A hospital number changes only by merging records.")
		}
		if !patientFields[name] {
			return ch, tracking.FieldError(name, "%s is not a patient's detail that can be changed.", name)
		}
	}
	var err error
	for _, f := range []struct {
		name string
		to   *tracking.Change[string]
	}{{"nhs_number", &ch.NHSNumber}, {"family_name", &ch.FamilyName}, {"given_name", &ch.GivenName}} {
		if *f.to, err = textChange(raw, f.name); err != nil {
			return ch, err
		}
	}
	if ch.BirthDate, err = dateChange(raw, "birth_date"); err != nil {
		return ch, err
	}
	ch.DeathDate, err = dateChange(raw, "death_date")
	return ch, err
}

func textChange(raw map[string]json.RawMessage, name string) (tracking.Change[string], error) {
	v, ok := raw[name]
	switch {
	case !ok:
		return tracking.Change[string]{}, nil
	case string(v) == "null":
		return tracking.Cleared[string](), nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return tracking.Change[string]{}, tracking.FieldError(name, "%s must be a string or null.", name)
	}
	return tracking.SetTo(s), nil
}

func dateChange(raw map[string]json.RawMessage, name string) (tracking.Change[tracking.Date], error) {
	s, err := textChange(raw, name)
	if err != nil || s.Action != tracking.SetValue {
		return tracking.Change[tracking.Date]{Action: s.Action}, err
	}
	return formDate(name, s.Value)
}

func (s *Server) updatePatient(c *fiber.Ctx) error {
	ch, err := decodePatientChange(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	p, err := s.Service.UpdatePatient(ctx, actor(c), param(c, "hospital_number"), ch)
	if err != nil {
		return err
	}
	return c.JSON(patientAnswer(p))
}

// patientEditPage is the form that changes a patient's details.
type patientEditPage struct {
	Patient *tracking.Patient
	Fields  []formField
	Problem string
	Saved   bool
}

// formField is one input of a form, with what was typed and what is wrong.
type formField struct {
	Name, Label, Hint, Value, Error, Type, Autocomplete string
}

// patientFormFields are the edit form's fields, filled from the patient
// (or what was typed) and the errors of the last try.
func patientFormFields(p *tracking.Patient, typed url.Values, errs fieldErrors) []formField {
	value := func(name, stored string) string {
		if typed != nil {
			return strings.TrimSpace(typed.Get(name))
		}
		return stored
	}
	date := func(d *tracking.Date) string {
		if d == nil {
			return ""
		}
		return d.String()
	}
	return []formField{
		{"nhs_number", "NHS number", "10 digits, spaces allowed. Leave empty when the patient has none.", value("nhs_number", tracking.FormatNHSNumber(p.NHSNumber)), errs["nhs_number"], "text", "off"},
		{"family_name", "Family name", "", value("family_name", p.FamilyName), errs["family_name"], "text", "off"},
		{"given_name", "Given name", "", value("given_name", p.GivenName), errs["given_name"], "text", "off"},
		{"birth_date", "Date of birth", "Leave empty when it is not known.", value("birth_date", date(p.BirthDate)), errs["birth_date"], "date", "off"},
		{"death_date", "Date of death", "Leave empty while the patient is alive.", value("death_date", date(p.DeathDate)), errs["death_date"], "date", "off"},
	}
}

// formPatientChange is what the edit form asks: every field as typed, an
// empty one cleared.
func formPatientChange(c *fiber.Ctx) (tracking.PatientChange, url.Values, error) {
	typed := url.Values{}
	for name := range patientFields {
		typed.Set(name, strings.TrimSpace(c.FormValue(name)))
	}
	ch := tracking.PatientChange{NHSNumber: formText(typed.Get("nhs_number")),
		FamilyName: formText(typed.Get("family_name")), GivenName: formText(typed.Get("given_name"))}
	var err error
	if ch.BirthDate, err = formDate("birth_date", typed.Get("birth_date")); err == nil {
		ch.DeathDate, err = formDate("death_date", typed.Get("death_date"))
	}
	return ch, typed, err
}

// formText is a form field's change: an empty field clears the value.
func formText(v string) tracking.Change[string] {
	if v == "" {
		return tracking.Cleared[string]()
	}
	return tracking.SetTo(v)
}

func formDate(name, v string) (tracking.Change[tracking.Date], error) {
	if v == "" {
		return tracking.Cleared[tracking.Date](), nil
	}
	d, err := tracking.ParseDate(v)
	if err != nil {
		return tracking.Change[tracking.Date]{}, tracking.FieldError(name, "Write the date as YYYY-MM-DD (got %q).", v)
	}
	return tracking.SetTo(d), nil
}

// showPatientEdit shows the form with the patient's details as stored.
func (s *Server) showPatientEdit(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	p, err := s.Service.FindPatient(ctx, actor(c), param(c, "hospital_number"))
	if err != nil {
		return err
	}
	ep := patientEditPage{Patient: p, Fields: patientFormFields(p, nil, nil), Saved: c.Query("saved") != ""}
	return s.render(c, fiber.StatusOK, "patient_edit", s.newPage(c, "Edit patient details", ep))
}

// submitPatientEdit saves the form, or shows it again with what is wrong.
func (s *Server) submitPatientEdit(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	hn := param(c, "hospital_number")
	ch, typed, err := formPatientChange(c)
	if err == nil {
		var p *tracking.Patient
		if p, err = s.Service.UpdatePatient(ctx, actor(c), hn, ch); err == nil {
			return c.Redirect("/patients/"+url.PathEscape(p.HospitalNumber)+"/edit?saved=1", fiber.StatusSeeOther)
		}
	}
	if tracking.ErrorCode(err) == tracking.EINTERNAL || tracking.ErrorCode(err) == tracking.ENOTFOUND {
		return err
	}
	p, ferr := s.Service.FindPatient(ctx, actor(c), hn)
	if ferr != nil {
		return ferr
	}
	fe := errorsByField(err)
	ep := patientEditPage{Patient: p, Fields: patientFormFields(p, typed, fe), Problem: tracking.ErrorMessage(err)}
	return s.render(c, fiber.StatusUnprocessableEntity, "patient_edit", s.newPage(c, "Edit patient details", ep))
}
