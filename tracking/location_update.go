package tracking

import (
	"context"
	"encoding/json"
	"slices"
)

// Optional is a field of a change that may be left out, set, or set to
// null: JSON null clears what the field holds.
type Optional[T any] struct {
	Set   bool
	Value *T
}

// UnmarshalJSON is called only for a field present in the JSON.
func (o *Optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Value = nil
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	o.Value = &v
	return nil
}

// orEmpty is the string an optional string field sets ("" for null).
func orEmpty(o Optional[string]) string {
	if o.Value == nil {
		return ""
	}
	return *o.Value
}

// LocationUpdate is a change to a location: each field present replaces
// what the location holds; parent_code, legacy_barcode and gln set to ""
// or null are removed, and loan_period null goes back to the kind's. The
// code never changes: it is printed on the location's labels.
type LocationUpdate struct {
	Name          *string          `json:"name"`
	Kind          *LocationKind    `json:"kind"`
	ParentCode    Optional[string] `json:"parent_code"`
	LegacyBarcode Optional[string] `json:"legacy_barcode"`
	GLN           Optional[string] `json:"gln"`
	LoanPeriod    Optional[Period] `json:"loan_period"`
	Sensitive     *bool            `json:"sensitive"`
}

// UpdateLocation changes a location (a code or barcode) as upd says. A
// location cannot be put inside itself or inside a location inside it,
// and a legacy barcode or GLN must still mean one thing only. This
// instance forgets the locations it remembers; others do within a minute
// (see locationTTL).
func (s *Service) UpdateLocation(ctx context.Context, code string, upd LocationUpdate) (*Location, error) {
	cur, err := s.FindLocation(ctx, code)
	if err != nil {
		return nil, err
	}
	l := *cur
	l.applyUpdate(upd)
	l.Normalize()
	if err := l.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkParent(ctx, &l, upd); err != nil {
		return nil, err
	}
	if err := s.checkNewNames(ctx, cur, &l); err != nil {
		return nil, err
	}
	if err := s.Store.UpdateLocation(ctx, &l); err != nil {
		return nil, err
	}
	s.locations.forget()
	s.sensitiveLocs.forget()
	return &l, nil
}

func (l *Location) applyUpdate(upd LocationUpdate) {
	if upd.Name != nil {
		l.Name = *upd.Name
	}
	if upd.Kind != nil {
		l.Kind = *upd.Kind
	}
	if upd.ParentCode.Set {
		l.ParentCode = orEmpty(upd.ParentCode)
	}
	if upd.LegacyBarcode.Set {
		l.LegacyBarcode = orEmpty(upd.LegacyBarcode)
	}
	if upd.GLN.Set {
		l.GLN = orEmpty(upd.GLN)
	}
	if upd.LoanPeriod.Set {
		l.LoanPeriod = upd.LoanPeriod.Value
	}
	if upd.Sensitive != nil {
		l.Sensitive = *upd.Sensitive
	}
}

// checkParent finds a changed parent and refuses a loop: a location
// inside itself would be swept, and counted, for ever.
func (s *Service) checkParent(ctx context.Context, l *Location, upd LocationUpdate) error {
	if !upd.ParentCode.Set {
		return nil
	}
	if l.ParentCode == "" {
		l.ParentID = 0
		return nil
	}
	parent, err := s.Store.FindLocationByCode(ctx, l.ParentCode)
	if err != nil {
		return notFoundAsInvalid(err, "parent_code", "Parent location %s does not exist.", l.ParentCode)
	}
	inside, err := s.Store.FindLocationsInside(ctx, l.ID)
	if err != nil {
		return err
	}
	if parent.ID == l.ID || slices.Contains(inside, parent.ID) {
		return FieldError("parent_code", "%s is inside %s: a location cannot be put inside itself.", parent.Code, l.Code)
	}
	l.ParentID = parent.ID
	return nil
}

// checkNewNames makes sure a new legacy barcode or GLN names nothing else.
func (s *Service) checkNewNames(ctx context.Context, old, l *Location) error {
	for _, n := range []struct{ field, before, after string }{
		{"legacy_barcode", old.LegacyBarcode, l.LegacyBarcode}, {"gln", old.GLN, l.GLN}} {
		if n.after == "" || n.after == n.before {
			continue
		}
		if err := s.checkNoVolumeNamed(ctx, n.after); err != nil {
			return err
		}
		_, err := s.FindLocation(ctx, n.after)
		switch ErrorCode(err) {
		case ENOTFOUND:
		case "":
			return FieldError(n.field, "%s already names a location: a scan of it must mean one thing only.", n.after)
		default:
			return err
		}
	}
	return nil
}
