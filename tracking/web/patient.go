package web

import (
	"context"
	"slices"
	"strings"

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

// foundPatient is a patient as a search answers it, flagged when another
// patient has the same family and given name.
type foundPatient struct {
	*tracking.Patient
	SameName bool `json:"same_name,omitempty"`
}

// findPatients answers a search with the patients found (at most limit)
// and the total that match.
func (s *Server) findPatients(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	r, err := s.Service.SearchPatients(ctx, actor(c), tracking.PatientFilter{
		NHSNumber: c.Query("nhs_number"), HospitalNumber: c.Query("hospital_number"),
		Query: c.Query("q"), Limit: c.QueryInt("limit", 50)})
	if err != nil {
		return err
	}
	out := make([]foundPatient, len(r.Patients))
	for i, p := range r.Patients {
		p.Volumes = nonNil(p.Volumes)
		out[i] = foundPatient{Patient: p, SameName: r.SameName[p.ID]}
	}
	return c.JSON(fiber.Map{"patients": out, "total": r.Total})
}

func (s *Server) addVolume(c *fiber.Ctx) error {
	var in tracking.VolumeInput
	body, err := requestBody(c, jsonLimit)
	if err != nil {
		return err
	}
	if len(body) > 0 {
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

// historyLimit caps how many volumes a search shows history for: each is
// a read of a patient's record, audited, and a page of fifty patients'
// histories helps nobody find one folder.
const historyLimit = 30

// lookupPage is the lookup form and what it found.
type lookupPage struct {
	Query, LocationQuery string
	Searched             bool
	Patients             []patientView
	// Total counts every patient the search matches: more than
	// len(Patients) when it stopped at its limit.
	Total      int
	Location   *tracking.Location
	AtLocation []*tracking.Volume
	Locations  []*tracking.Location
	// Browsable are the locations whose contents the person may list:
	// sensitive ones only for those shown them (see tracking.SeesSensitive).
	Browsable []*tracking.Location
	Problem   string
	Requests  lookupRequests
	// Exceptions are the status parts (see volume_page.go).
	Exceptions lookupExceptions
}

// patientView is a patient with each volume's whereabouts and history,
// and whether another patient has the same name.
type patientView struct {
	*tracking.Patient
	Volumes  []volumeView
	SameName bool
}

// foundPatients is a search's answer as pages list it.
type foundPatients struct {
	Patients []patientView
	Total    int
}

// viewsOf is a search's patients, each flagged if it shares a name.
func viewsOf(found *tracking.PatientSearch) []patientView {
	out := make([]patientView, len(found.Patients))
	for i, p := range found.Patients {
		out[i] = patientView{Patient: p, SameName: found.SameName[p.ID]}
	}
	return out
}

// volumeView is one volume: where it is, who put it there, and how it got
// there, newest movement first.
type volumeView struct {
	*tracking.Volume
	LastBy  string
	History []*tracking.Movement
	// StatusPart is the volume's status history and actions.
	StatusPart *volumeStatusView
}

// showLookup finds patients' notes (by NHS number in any spacing, hospital
// number, name or a volume barcode) and what is at a location now. Every
// patient shown is written to the access log by the service.
func (s *Server) showLookup(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	lp := lookupPage{Query: strings.TrimSpace(c.Query("q")), LocationQuery: strings.TrimSpace(c.Query("location"))}
	var err error
	if lp.Locations, err = s.Service.FindLocations(ctx, tracking.LocationFilter{Limit: 500}); err != nil {
		return err
	}
	a := actor(c)
	for _, l := range lp.Locations {
		if !l.Sensitive || tracking.SeesSensitive(a.Role) {
			lp.Browsable = append(lp.Browsable, l)
		}
	}
	if lp.Query != "" {
		lp.Searched = true
		var found *tracking.PatientSearch
		if found, err = s.searchPatients(ctx, a, lp.Query); err == nil {
			lp.Total = found.Total
			lp.Patients, err = s.withHistory(ctx, a, found)
		}
		if err == nil {
			lp.Requests, err = s.lookupRequestsFor(ctx, c, lp.Patients)
		}
	} else if lp.LocationQuery != "" {
		lp.Searched = true
		lp.Location, lp.AtLocation, err = s.Service.VolumesAt(ctx, a, lp.LocationQuery)
	}
	if err != nil {
		if tracking.ErrorCode(err) == tracking.EINTERNAL {
			return err
		}
		lp.Problem = tracking.ErrorMessage(err)
	}
	if err := s.addVolumeStatus(ctx, c, &lp); err != nil {
		return err
	}
	return s.render(c, lookupStatus(c), "lookup", s.newPage(c, "Find notes", lp))
}

// searchPatients reads what a person typed: a volume barcode, a 10-digit
// NHS number however spaced, or else a hospital number or a name, whole
// or in part.
func (s *Server) searchPatients(ctx context.Context, a tracking.Actor, q string) (*tracking.PatientSearch, error) {
	if kind, _, ok, _ := tracking.ParseBarcode(q); ok && kind == tracking.CodeVolume {
		v, err := s.Service.FindVolume(ctx, a, q)
		if err != nil {
			return nil, err
		}
		p := *v.Patient
		p.Volumes = []*tracking.Volume{v}
		same, err := s.Service.SameNamePatients(ctx, []int64{p.ID})
		return &tracking.PatientSearch{Patients: []*tracking.Patient{&p}, Total: 1, SameName: same}, err
	}
	return s.Service.SearchPatients(ctx, a, tracking.SearchFilter(q))
}

// withHistory adds each volume's movements, up to historyLimit volumes.
func (s *Server) withHistory(ctx context.Context, a tracking.Actor, found *tracking.PatientSearch) ([]patientView, error) {
	out := make([]patientView, 0, len(found.Patients))
	budget := historyLimit
	for _, p := range found.Patients {
		pv := patientView{Patient: p, SameName: found.SameName[p.ID]}
		for _, v := range p.Volumes {
			vv := volumeView{Volume: v}
			if budget > 0 {
				budget--
				ms, err := s.Service.FindMovements(ctx, a, v.Barcode)
				if err != nil {
					return nil, err
				}
				slices.Reverse(ms)
				vv.History = ms
				if len(ms) > 0 {
					vv.LastBy = ms[0].By
				}
			}
			pv.Volumes = append(pv.Volumes, vv)
		}
		out = append(out, pv)
	}
	return out, nil
}
