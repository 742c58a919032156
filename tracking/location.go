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
	LegacyBarcode string    `json:"legacy_barcode,omitempty"`
	CreatedAt     time.Time `json:"-"`
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
}
