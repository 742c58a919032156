package csvimport

import (
	"strings"

	"github.com/casetrack/casetrack/tracking"
)

// Kind is what an import file holds. The command line and the API name it
// the same way (casetrack import patients FILE.csv, POST
// /api/v1/import/patients), so one parser serves both.
type Kind string

// The kinds of file a trust imports, in the order they must go in:
// volumes name their patients and locations.
const (
	Locations Kind = "locations"
	Patients  Kind = "patients"
	Volumes   Kind = "volumes"
)

// ParseKind reads a kind as a person types it.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(strings.ToLower(strings.TrimSpace(s))); k {
	case Locations, Patients, Volumes:
		return k, nil
	}
	return "", tracking.FieldError("kind", "%q is not something to import: choose locations, patients or volumes.", s)
}

// Columns lists the columns a file of the kind must have, in the order
// API.md gives them; each may come anywhere in the header.
func (k Kind) Columns() []string {
	switch k {
	case Locations:
		return []string{"code", "name", "kind", "parent", "barcode"}
	case Patients:
		return []string{"hospital_number", "nhs_number", "family_name", "given_name", "birth_date", "death_date"}
	case Volumes:
		return []string{"hospital_number", "volume_number", "barcode", "status", "home", "location"}
	}
	return nil
}

// header is how error messages show the columns a file needs.
func (k Kind) header() string {
	return "a " + string(k) + " file has the columns " + strings.Join(k.Columns(), ",")
}
