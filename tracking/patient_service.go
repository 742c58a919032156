package tracking

import (
	"context"
	"strings"
)

// CreatePatient registers a patient with volume 1 at the home location
// (a location code), or at the first library when none is given.
func (s *Service) CreatePatient(ctx context.Context, a Actor, p *Patient, homeCode string) error {
	p.Normalize()
	if err := p.Validate(s.today()); err != nil {
		return err
	}
	home, err := s.homeLocation(ctx, homeCode)
	if err != nil {
		return err
	}
	now := s.now()
	p.CreatedAt = now
	first := &Volume{Number: 1, Count: 1, Status: StatusActive, HomeID: home.ID, Home: home,
		CurrentID: home.ID, Current: home, Since: TimestampOf(now), CreatedAt: now}
	if err := s.Store.CreatePatient(ctx, p, first); err != nil {
		return err
	}
	first.PatientID = p.ID
	p.Volumes = []*Volume{first}
	return s.audit(ctx, a, "create_patient", "", p.ID)
}

func (s *Service) homeLocation(ctx context.Context, code string) (*Location, error) {
	if code != "" {
		l, err := s.Store.FindLocationByCode(ctx, normalizeCode(code))
		return l, notFoundAsInvalid(err, "home", "Home location %s does not exist.", code)
	}
	libs, err := s.Store.FindLocations(ctx, LocationFilter{Kind: KindLibrary, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(libs) == 0 {
		return nil, FieldError("home", "No library location exists yet: create one, or give a home location.")
	}
	return libs[0], nil
}

// FindPatients searches patients by NHS number, hospital number or name;
// every patient returned is written to the access log.
func (s *Service) FindPatients(ctx context.Context, a Actor, f PatientFilter) ([]*Patient, error) {
	if f.NHSNumber != "" {
		n, err := NormalizeNHSNumber(f.NHSNumber)
		if err != nil {
			return nil, err
		}
		f.NHSNumber = n
	}
	f.HospitalNumber = normalizeCode(f.HospitalNumber)
	f.Query = strings.TrimSpace(f.Query)
	if f.NHSNumber == "" && f.HospitalNumber == "" && f.Query == "" {
		return nil, FieldError("q", "Give an NHS number, a hospital number or part of a name to search for.")
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	ps, err := s.Store.FindPatients(ctx, f)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(ps))
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	return ps, s.audit(ctx, a, "search_patients", "", ids...)
}

// AddVolume opens the patient's next volume, homed where the last one is.
func (s *Service) AddVolume(ctx context.Context, a Actor, hospitalNumber string) (*Volume, error) {
	p, err := s.Store.FindPatientByHospitalNumber(ctx, normalizeCode(hospitalNumber))
	if err != nil {
		return nil, err
	}
	vols, err := s.Store.FindVolumesOfPatient(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	home, err := s.homeLocation(ctx, "")
	if err != nil {
		return nil, err
	}
	if n := len(vols); n > 0 && vols[n-1].Home != nil {
		home = vols[n-1].Home
	}
	now := s.now()
	v := &Volume{PatientID: p.ID, Status: StatusActive, HomeID: home.ID, Home: home,
		CurrentID: home.ID, Current: home, Since: TimestampOf(now), CreatedAt: now}
	if err := s.Store.CreateVolume(ctx, v); err != nil {
		return nil, err
	}
	p.Volumes = nil
	v.Patient = p
	v.Count = v.Number
	return v, s.audit(ctx, a, "add_volume", v.Barcode, p.ID)
}

// FindVolume finds a volume by barcode with its patient and locations.
func (s *Service) FindVolume(ctx context.Context, a Actor, barcode string) (*Volume, error) {
	v, err := s.Store.FindVolumeByBarcode(ctx, normalizeCode(barcode))
	if err != nil {
		return nil, err
	}
	return v, s.audit(ctx, a, "view_volume", v.Barcode, v.PatientID)
}

// FindMovements returns a volume's history, oldest first in scan-time order.
func (s *Service) FindMovements(ctx context.Context, a Actor, barcode string) ([]*Movement, error) {
	v, err := s.Store.FindVolumeByBarcode(ctx, normalizeCode(barcode))
	if err != nil {
		return nil, err
	}
	ms, err := s.Store.FindMovements(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	return ms, s.audit(ctx, a, "view_movements", v.Barcode, v.PatientID)
}

func normalizeCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
