package tracking

import (
	"context"
	"strings"
	"time"
)

// LocationKind says what sort of place a location is. The set is fixed
// because reports and the pull-list workflow treat each kind differently.
type LocationKind string

// The kinds of location a casenote folder can be at.
const (
	KindLibrary    LocationKind = "library"
	KindWard       LocationKind = "ward"
	KindClinic     LocationKind = "clinic"
	KindDepartment LocationKind = "department"
	KindOffice     LocationKind = "office"
	KindOffsite    LocationKind = "offsite"
	KindPerson     LocationKind = "person"
	KindTransit    LocationKind = "transit"
)

// LocationKinds lists every valid kind, in the order forms offer them.
var LocationKinds = []LocationKind{KindLibrary, KindWard, KindClinic, KindDepartment, KindOffice, KindOffsite, KindPerson, KindTransit}

// Location is anywhere a folder can be: a library bay, a ward, a clinic, a
// porter. Each has a short code people type and a generated barcode.
type Location struct {
	ID      int64        `json:"id"`
	Code    string       `json:"code"`
	Name    string       `json:"name"`
	Kind    LocationKind `json:"kind"`
	Barcode string       `json:"barcode"`
	// ParentCode places a location inside another (library > bay > shelf).
	ParentCode string `json:"parent_code,omitempty"`
	ParentID   int64  `json:"-"`
	// GLN is the GS1 global location number printed on Scan4Safety signs.
	GLN string `json:"gln,omitempty"`
	// LegacyBarcode is a barcode already on the location's sign from an
	// earlier tracking system; scans of it find the location too.
	LegacyBarcode string `json:"legacy_barcode,omitempty"`
	// LoanPeriod overrides the loan period of the location's kind (see
	// LoanPolicy): a ward that keeps notes through long stays. Nil keeps
	// the kind's; a zero period means notes there are never overdue.
	LoanPeriod *Period `json:"loan_period,omitempty"`
	// Sensitive marks a location that reveals a sensitive service: it is
	// shown beside a patient only to those who fetch notes from it (see
	// MaskLocation).
	Sensitive bool      `json:"sensitive,omitempty"`
	CreatedAt time.Time `json:"-"`
}

// Normalize tidies user input before validation: codes are upper case so
// that scanners and people agree on them.
func (l *Location) Normalize() {
	l.Code = strings.ToUpper(strings.TrimSpace(l.Code))
	l.Name = strings.TrimSpace(l.Name)
	l.Kind = LocationKind(strings.ToLower(strings.TrimSpace(string(l.Kind))))
	l.ParentCode = strings.ToUpper(strings.TrimSpace(l.ParentCode))
	l.GLN = strings.TrimSpace(l.GLN)
	l.LegacyBarcode = strings.TrimSpace(l.LegacyBarcode)
}

// Validate reports the first thing wrong with a location a person entered.
func (l *Location) Validate() error {
	if err := ValidateLocationCode(l.Code); err != nil {
		return err
	}
	if l.Name == "" {
		return FieldError("name", "Location name is required.")
	}
	if len([]rune(l.Name)) > 100 {
		return FieldError("name", "Location name must be at most 100 characters.")
	}
	if !validKind(l.Kind) {
		return FieldError("kind", "Location kind %q is not one of library, ward, clinic, department, office, offsite, person, transit.", l.Kind)
	}
	if l.GLN != "" && (len(l.GLN) != 13 || !allDigits(l.GLN)) {
		return FieldError("gln", "GLN must be 13 digits.")
	}
	if l.LegacyBarcode != "" {
		return ValidateLegacyBarcode("legacy_barcode", l.LegacyBarcode)
	}
	return nil
}

// ValidateLocationCode checks a location code: 1-20 of A-Z, 0-9 and '-',
// and never the shape of a generated barcode, so that a scan of either can
// only mean one location.
func ValidateLocationCode(code string) error {
	if code == "" {
		return FieldError("code", "Location code is required.")
	}
	if len(code) > 20 {
		return FieldError("code", "Location code must be at most 20 characters.")
	}
	for _, r := range code {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return FieldError("code", "Location code may contain only letters, digits and '-'.")
		}
	}
	if _, _, ok, _ := ParseBarcode(code); ok {
		return FieldError("code", "Location code %s looks like a barcode; choose another.", code)
	}
	if ValidNHSNumber(code) {
		return FieldError("code", "Location code %s looks like an NHS number; choose another.", code)
	}
	return nil
}

func validKind(k LocationKind) bool {
	for _, v := range LocationKinds {
		if v == k {
			return true
		}
	}
	return false
}

// LocationFilter narrows FindLocations.
type LocationFilter struct {
	Kind LocationKind
	// Query matches part of the code or name, case-insensitively.
	Query string
	Limit int
}

// LocationStore is the part of Store that keeps locations.
type LocationStore interface {
	CreateLocation(ctx context.Context, l *Location) error
	FindLocationByID(ctx context.Context, id int64) (*Location, error)
	FindLocationByCode(ctx context.Context, code string) (*Location, error)
	// FindLocationByBarcode matches generated and legacy barcodes and GLNs.
	FindLocationByBarcode(ctx context.Context, barcode string) (*Location, error)
	FindLocations(ctx context.Context, f LocationFilter) ([]*Location, error)
	// FindLocationsInside returns the ids of every location inside the
	// one (its children, theirs, and so on), not the location itself.
	FindLocationsInside(ctx context.Context, id int64) ([]int64, error)
	// UpdateLocation stores a location's editable fields (name, kind,
	// parent, legacy barcode, GLN and loan period) as l holds them.
	UpdateLocation(ctx context.Context, l *Location) error
}

// CreateLocation validates and stores a new location, under its parent if
// one is named.
func (s *Service) CreateLocation(ctx context.Context, l *Location) error {
	l.Normalize()
	if err := l.Validate(); err != nil {
		return err
	}
	if l.ParentCode != "" {
		parent, err := s.Store.FindLocationByCode(ctx, l.ParentCode)
		if err != nil {
			return notFoundAsInvalid(err, "parent_code", "Parent location %s does not exist.", l.ParentCode)
		}
		l.ParentID = parent.ID
	}
	for _, name := range []string{l.Code, l.LegacyBarcode, l.GLN} {
		if err := s.checkNoVolumeNamed(ctx, name); err != nil {
			return err
		}
	}
	if l.LegacyBarcode != "" {
		if err := s.checkNoLocationNamed(ctx, l.LegacyBarcode); err != nil {
			return err
		}
	}
	l.CreatedAt = s.now()
	if err := s.Store.CreateLocation(ctx, l); err != nil {
		return err
	}
	s.sensitiveLocs.forget()
	return nil
}

// checkNoLocationNamed makes sure no location answers to name (by code,
// barcode, legacy barcode or GLN): a scan of it must mean one thing only.
func (s *Service) checkNoLocationNamed(ctx context.Context, name string) error {
	_, err := s.FindLocation(ctx, name)
	switch ErrorCode(err) {
	case ENOTFOUND:
		return nil
	case "":
		return FieldError("legacy_barcode", "%s already names a location: a scan of it must mean one thing only.", name)
	}
	return err
}

// checkNoVolumeNamed makes sure no volume answers to name.
func (s *Service) checkNoVolumeNamed(ctx context.Context, name string) error {
	if name == "" {
		return nil
	}
	_, err := s.Store.FindVolumeByBarcode(ctx, name)
	switch ErrorCode(err) {
	case ENOTFOUND:
		return nil
	case "":
		return Errorf(ECONFLICT, "%s already names a casenote volume: a scan of it must mean one thing only.", name)
	}
	return err
}

// FindLocation finds a location by its code or its barcode, as people and
// scanners give either.
func (s *Service) FindLocation(ctx context.Context, codeOrBarcode string) (*Location, error) {
	l, err := s.locationByCode(ctx, normalizeCode(codeOrBarcode))
	if ErrorCode(err) == ENOTFOUND {
		l, err = s.locationByBarcode(ctx, strings.TrimSpace(codeOrBarcode))
	}
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(ENOTFOUND, "No location has the code or barcode %q.", codeOrBarcode)
	}
	return l, err
}

// FindLocations lists locations by kind and text, as a filter asks.
func (s *Service) FindLocations(ctx context.Context, f LocationFilter) ([]*Location, error) {
	return s.Store.FindLocations(ctx, f)
}

// VolumesAt lists the volumes whose current location is the location; each
// patient shown is written to the access log.
func (s *Service) VolumesAt(ctx context.Context, a Actor, codeOrBarcode string) (*Location, []*Volume, error) {
	l, err := s.FindLocation(ctx, codeOrBarcode)
	if err != nil {
		return nil, nil, err
	}
	if err := checkSensitiveContents(l, a.Role); err != nil {
		return nil, nil, err
	}
	vols, err := s.Store.FindVolumesAt(ctx, l.ID)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int64, 0, len(vols))
	for _, v := range vols {
		ids = append(ids, v.PatientID)
	}
	return l, vols, s.audit(ctx, a, "list_location", l.Code, ids...)
}
