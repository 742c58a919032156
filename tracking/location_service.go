package tracking

import (
	"context"
	"errors"
	"strings"
)

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
	return s.Store.CreateLocation(ctx, l)
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

func notFoundAsInvalid(err error, field, format string, args ...any) error {
	var e *Error
	if errors.As(err, &e) && e.Code == ENOTFOUND {
		return FieldError(field, format, args...)
	}
	return err
}
