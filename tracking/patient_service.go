package tracking

import (
	"context"
	"strings"
)

// VolumeInput is what may be said about a new volume: its home location
// (a code; default the first library) and the barcode already on it, for
// folders labelled by a legacy tracking system.
type VolumeInput struct {
	Home          string `json:"home"`
	LegacyBarcode string `json:"legacy_barcode"`
}

// CreatePatient registers a patient with volume 1 at the home location
// (a location code), or at the first library when none is given.
func (s *Service) CreatePatient(ctx context.Context, a Actor, p *Patient, homeCode string) error {
	return s.CreatePatientWith(ctx, a, p, VolumeInput{Home: homeCode})
}

// CreatePatientWith registers a patient with volume 1 as in.
func (s *Service) CreatePatientWith(ctx context.Context, a Actor, p *Patient, in VolumeInput) error {
	p.Normalize()
	if err := p.Validate(s.today()); err != nil {
		return err
	}
	first, err := s.newVolume(ctx, in, "")
	if err != nil {
		return err
	}
	p.CreatedAt = first.CreatedAt
	first.Number, first.Count = 1, 1
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

// newVolume makes an active volume at its home: in.Home, else def, else
// the first library.
func (s *Service) newVolume(ctx context.Context, in VolumeInput, def string) (*Volume, error) {
	legacy := strings.TrimSpace(in.LegacyBarcode)
	if legacy != "" {
		if err := ValidateLegacyBarcode("legacy_barcode", legacy); err != nil {
			return nil, err
		}
		if err := s.checkNoLocationNamed(ctx, legacy); err != nil {
			return nil, err
		}
	}
	home, err := s.homeLocation(ctx, firstOf(in.Home, def))
	if err != nil {
		return nil, err
	}
	now := s.now()
	return &Volume{Status: StatusActive, HomeID: home.ID, Home: home, CurrentID: home.ID, Current: home,
		Since: TimestampOf(now), CreatedAt: now, LegacyCode: legacy}, nil
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// AddVolume opens the patient's next volume, homed where the last one is
// unless in says otherwise.
func (s *Service) AddVolume(ctx context.Context, a Actor, hospitalNumber string, in VolumeInput) (*Volume, error) {
	p, err := s.Store.FindPatientByHospitalNumber(ctx, normalizeCode(hospitalNumber))
	if err != nil {
		return nil, err
	}
	vols, err := s.Store.FindVolumesOfPatient(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	def := ""
	if n := len(vols); n > 0 && vols[n-1].Home != nil {
		def = vols[n-1].Home.Code
	}
	v, err := s.newVolume(ctx, in, def)
	if err != nil {
		return nil, err
	}
	v.PatientID = p.ID
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
	v, err := s.Store.FindVolumeByBarcode(ctx, strings.TrimSpace(barcode))
	if err != nil {
		return nil, err
	}
	return v, s.audit(ctx, a, "view_volume", v.Barcode, v.PatientID)
}

// FindMovements returns a volume's history, oldest first in scan-time order.
func (s *Service) FindMovements(ctx context.Context, a Actor, barcode string) ([]*Movement, error) {
	v, err := s.Store.FindVolumeByBarcode(ctx, strings.TrimSpace(barcode))
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
