package web

import (
	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

func (s *Server) registerPatientRoutes(r fiber.Router) {
	r.Post("/patients", require(tracking.PermManage), s.createPatient)
	r.Get("/patients", require(tracking.PermLookup), s.findPatients)
	r.Post("/patients/:hospital_number/volumes", require(tracking.PermManage), s.addVolume)
}

// patientInput is the body of POST /patients: a patient and, optionally,
// where its first volume lives and the legacy barcode already on it.
type patientInput struct {
	tracking.Patient
	tracking.VolumeInput
	// The dates are read here, not by the embedded patient, so that an
	// error can name the field it is about.
	BirthDate *string `json:"birth_date"`
	DeathDate *string `json:"death_date"`
}

// dates parses the input's dates into the patient.
func (in *patientInput) dates(p *tracking.Patient) error {
	for _, d := range []struct {
		field string
		in    *string
		out   **tracking.Date
	}{{"birth_date", in.BirthDate, &p.BirthDate}, {"death_date", in.DeathDate, &p.DeathDate}} {
		if d.in == nil || *d.in == "" {
			continue
		}
		v, err := tracking.ParseDate(*d.in)
		if err != nil {
			return tracking.FieldError(d.field, "%s must be a date written YYYY-MM-DD (got %q).", d.field, *d.in)
		}
		*d.out = &v
	}
	return nil
}

func (s *Server) createPatient(c *fiber.Ctx) error {
	var in patientInput
	if err := decodeJSON(c, jsonLimit, &in); err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	p := in.Patient
	p.Volumes = nil
	if err := in.dates(&p); err != nil {
		return err
	}
	if err := s.Service.CreatePatientWith(ctx, actor(c), &p, in.VolumeInput); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(&p)
}

func (s *Server) findPatients(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	ps, err := s.Service.FindPatients(ctx, actor(c), tracking.PatientFilter{
		NHSNumber: c.Query("nhs_number"), HospitalNumber: c.Query("hospital_number"),
		Query: c.Query("q"), Limit: c.QueryInt("limit", 50)})
	if err != nil {
		return err
	}
	for _, p := range ps {
		p.Volumes = nonNil(p.Volumes)
	}
	return c.JSON(fiber.Map{"patients": nonNil(ps)})
}

func (s *Server) addVolume(c *fiber.Ctx) error {
	var in tracking.VolumeInput
	if len(c.Body()) > 0 {
		if err := decodeJSON(c, jsonLimit, &in); err != nil {
			return err
		}
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	v, err := s.Service.AddVolume(ctx, actor(c), param(c, "hospital_number"), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}
