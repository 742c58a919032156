package tracking

import (
	"context"
	"strings"
	"time"
)

// Patient is a person whose casenotes the library holds. The hospital number
// is the trust's own identifier and always present; the NHS number is
// national and optional (overseas visitors, some historic records).
type Patient struct {
	ID             int64     `json:"id"`
	HospitalNumber string    `json:"hospital_number"`
	NHSNumber      string    `json:"nhs_number,omitempty"`
	FamilyName     string    `json:"family_name"`
	GivenName      string    `json:"given_name"`
	BirthDate      *Date     `json:"birth_date,omitempty"`
	DeathDate      *Date     `json:"death_date,omitempty"`
	CreatedAt      time.Time `json:"-"`
	Volumes        []*Volume `json:"volumes,omitempty"`
	MergedIntoID   int64     `json:"-"`
}

// Normalize tidies user input: hospital numbers are upper case and NHS
// numbers lose their spaces, so lookups match however they were typed.
func (p *Patient) Normalize() {
	p.HospitalNumber = strings.ToUpper(strings.TrimSpace(p.HospitalNumber))
	p.NHSNumber = stripNHSSeparators(p.NHSNumber)
	p.FamilyName = strings.TrimSpace(p.FamilyName)
	p.GivenName = strings.TrimSpace(p.GivenName)
}

// Validate reports the first thing wrong with a patient's details.
func (p *Patient) Validate(today Date) error {
	if err := ValidateHospitalNumber(p.HospitalNumber); err != nil {
		return err
	}
	if p.NHSNumber != "" {
		n, err := NormalizeNHSNumber(p.NHSNumber)
		if err != nil {
			return err
		}
		p.NHSNumber = n
	}
	if err := validateName("family_name", "Family name", p.FamilyName, true); err != nil {
		return err
	}
	if err := validateName("given_name", "Given name", p.GivenName, false); err != nil {
		return err
	}
	if p.BirthDate != nil && p.BirthDate.After(today.Time) {
		return FieldError("birth_date", "Date of birth cannot be in the future.")
	}
	if p.DeathDate != nil && p.BirthDate != nil && p.DeathDate.Before(p.BirthDate.Time) {
		return FieldError("death_date", "Date of death cannot be before the date of birth.")
	}
	return nil
}

// ValidateHospitalNumber checks a trust-local hospital number: there is no
// national format, so only the characters a label and a scanner can carry.
func ValidateHospitalNumber(s string) error {
	if s == "" {
		return FieldError("hospital_number", "Hospital number is required.")
	}
	if len(s) > 20 {
		return FieldError("hospital_number", "Hospital number must be at most 20 characters.")
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '/') {
			return FieldError("hospital_number", "Hospital number may contain only letters, digits, '-' and '/'.")
		}
	}
	return nil
}

func validateName(field, label, s string, required bool) error {
	if s == "" && required {
		return FieldError(field, "%s is required.", label)
	}
	if len([]rune(s)) > 100 {
		return FieldError(field, "%s must be at most 100 characters.", label)
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f {
			return FieldError(field, "%s contains a control character.", label)
		}
	}
	return nil
}

// PatientFilter narrows FindPatients. Exactly one field is normally set.
type PatientFilter struct {
	NHSNumber      string
	HospitalNumber string
	// Query matches part of the family name, given name or hospital
	// number, or a whole name as ParseNameQuery reads it.
	Query string
	Limit int
}

// SearchFilter reads what a person typed in a search box: ten digits,
// however spaced, are an NHS number (one with a wrong check digit is then
// reported as such, not searched for as text); anything else is a
// hospital number or part of a name.
func SearchFilter(q string) PatientFilter {
	if digits := strings.NewReplacer(" ", "", "-", "").Replace(q); len(digits) == 10 && allDigits(digits) {
		return PatientFilter{NHSNumber: digits}
	}
	return PatientFilter{Query: q, Limit: 50}
}

// PatientStore is the part of Store that keeps patients.
type PatientStore interface {
	// CreatePatient stores the patient and its first volume together.
	CreatePatient(ctx context.Context, p *Patient, first *Volume) error
	// FindPatients returns matching patients with their volumes loaded.
	// An NHS or hospital number of a merged record finds its survivor; a
	// Query, read by ParseNameQuery, never finds a merged record, and
	// exact name matches come first.
	FindPatients(ctx context.Context, f PatientFilter) ([]*Patient, error)
	// CountPatients counts every patient FindPatients would find with no
	// limit.
	CountPatients(ctx context.Context, f PatientFilter) (int, error)
	// FindPatientByHospitalNumber finds the patient the number names: the
	// survivor, for a merged record's number.
	FindPatientByHospitalNumber(ctx context.Context, hn string) (*Patient, error)
	// ChangePatients runs change in one transaction, with the reads and
	// writes of patients it needs (PatientTx); an error from it undoes
	// everything it wrote.
	ChangePatients(ctx context.Context, change func(PatientTx) error) error
	// FindPatientsNamed finds up to limit patients whose family and given
	// names are these, in any case and with or without accents.
	FindPatientsNamed(ctx context.Context, family, given string, limit int) ([]*Patient, error)
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

// FindPatients searches patients by NHS number, hospital number or name;
// every patient returned is written to the access log.
func (s *Service) FindPatients(ctx context.Context, a Actor, f PatientFilter) ([]*Patient, error) {
	if err := f.normalize(); err != nil {
		return nil, err
	}
	ps, err := s.Store.FindPatients(ctx, f)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if err := s.maskVolumes(ctx, a, p.Volumes); err != nil {
			return nil, err
		}
	}
	return ps, s.audit(ctx, a, "search_patients", "", patientIDsOf(ps)...)
}

// normalize checks a search and tidies what was typed: an NHS number
// loses its spacing, a hospital number is upper case, and the limit is
// 50 unless 1 to 200 was asked for.
func (f *PatientFilter) normalize() error {
	if f.NHSNumber != "" {
		n, err := NormalizeNHSNumber(f.NHSNumber)
		if err != nil {
			return err
		}
		f.NHSNumber = n
	}
	f.HospitalNumber = normalizeCode(f.HospitalNumber)
	f.Query = strings.TrimSpace(f.Query)
	if f.NHSNumber == "" && f.HospitalNumber == "" && f.Query == "" {
		return FieldError("q", "Give an NHS number, a hospital number or part of a name to search for.")
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	return nil
}
