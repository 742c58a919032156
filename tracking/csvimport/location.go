package csvimport

import (
	"fmt"
	"io"
	"strings"

	"github.com/casetrack/casetrack/tracking"
)

// LocationRow is one location of a locations file, tidied and checked by
// Location.Normalize and Validate: Code, Name, Kind, ParentCode and
// LegacyBarcode (the file's barcode column, kept as written) are set, and
// ParentLine names the earlier line that has the parent, if one does.
type LocationRow = tracking.LocationLine

// NewLocationReader reads a locations file (code,name,kind,parent,barcode).
// Codes and barcodes share one namespace, compared ignoring case as a
// scanner may send either: a code or barcode already on an earlier line
// refuses the later line, so a scan of either means one location only.
func NewLocationReader(r io.Reader, o Options) (*Reader[LocationRow], error) {
	ls := &locations{names: firstLines[locationName]{}}
	return newReader[LocationRow](r, Locations, ls)
}

type locations struct {
	names firstLines[locationName]
}

// locationName is a code or a barcode, upper case.
type locationName struct {
	name    string
	barcode bool
}

// expect leaves the names to grow: a trust has thousands of locations,
// not millions.
func (ls *locations) expect(int) {}

func (ls *locations) row(line int, v []string) (LocationRow, *LineError) {
	l := tracking.Location{Code: v[0], Name: v[1], Kind: tracking.LocationKind(v[2]), ParentCode: v[3], LegacyBarcode: v[4]}
	l.Normalize()
	if err := checkLocation(&l); err != nil {
		lerr := lineError(line, err)
		lerr.Field = locationColumn(lerr.Field)
		return LocationRow{}, lerr
	}
	if lerr := ls.unique(line, &l); lerr != nil {
		return LocationRow{}, lerr
	}
	return LocationRow{Line: line, Location: l, ParentLine: ls.names[locationName{l.ParentCode, false}]}, nil
}

// checkLocation runs Location.Validate, then checks the parent's code, which
// Validate leaves to the lookup that finds the parent.
func checkLocation(l *tracking.Location) error {
	if err := l.Validate(); err != nil {
		return err
	}
	if err := locationCode("parent_code", l.ParentCode); err != nil {
		return err
	}
	if l.ParentCode == l.Code {
		return tracking.FieldError("parent_code", "A location cannot be inside itself.")
	}
	return nil
}

// locationColumn names the file's column for a field of tracking.Location.
func locationColumn(field string) string {
	switch field {
	case "legacy_barcode":
		return "barcode"
	case "parent_code":
		return "parent"
	}
	return field
}

// unique refuses a location whose code or barcode an earlier line has as
// a code or a barcode, and otherwise remembers both.
func (ls *locations) unique(line int, l *tracking.Location) *LineError {
	code := locationName{l.Code, false}
	barcode := locationName{strings.ToUpper(l.LegacyBarcode), true}
	for _, n := range []locationName{code, barcode} {
		if n.name == "" || (n.barcode && n.name == l.Code) {
			continue
		}
		field := "code"
		if n.barcode {
			field = "barcode"
		}
		for _, earlier := range []locationName{{n.name, false}, {n.name, true}} {
			if first, ok := ls.names[earlier]; ok {
				return &LineError{Line: line, Field: field, Message: nameTaken(n.name, earlier.barcode, first)}
			}
		}
	}
	ls.names[locationName{strings.Clone(code.name), false}] = line
	if barcode.name != "" {
		ls.names[locationName{strings.Clone(barcode.name), true}] = line
	}
	return nil
}

func nameTaken(name string, asBarcode bool, line int) string {
	if asBarcode {
		return fmt.Sprintf("%s is the barcode of the location on line %d: a scan of it must mean one location only.", name, line)
	}
	return fmt.Sprintf("%s is the code of the location on line %d: a scan of it must mean one location only.", name, line)
}

// locationCode checks an optional reference to a location by its code,
// naming field when it cannot be one.
func locationCode(field, code string) error {
	if code == "" {
		return nil
	}
	if err := tracking.ValidateLocationCode(code); err != nil {
		return tracking.FieldError(field, "%s", tracking.ErrorMessage(err))
	}
	return nil
}
