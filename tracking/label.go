package tracking

import (
	"context"
	"strings"
	"time"
)

// LabelSelection says which labels to print. Everything named is printed,
// volumes first in the order given, then locations.
type LabelSelection struct {
	// Volumes are volume barcodes.
	Volumes []string `json:"volumes"`
	// Locations are location codes or barcodes.
	Locations []string `json:"locations"`
	// Patients are hospital numbers: every volume of each.
	Patients []string `json:"patients"`
	// RegisteredSince adds every volume created at or after the time: the
	// morning's new registrations.
	RegisteredSince *Timestamp `json:"registered_since,omitempty"`
	// LocationRange adds every location whose code sorts from From to To,
	// inclusive (e.g. LIB-A to LIB-C, WARD1 to WARD9).
	LocationRange *CodeRange `json:"location_range,omitempty"`
}

// CodeRange is an inclusive range of location codes.
type CodeRange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// maxLabels bounds one print job: a few boxes of sheets.
const maxLabels = 5000

// LabelSet is what a selection resolves to: the volumes (with patients)
// and locations to print, and which patients share a name with another,
// so their labels carry the same-name alert.
type LabelSet struct {
	Volumes   []*Volume
	Locations []*Location
	SameName  map[int64]bool
}

// Len is how many labels the set prints.
func (s *LabelSet) Len() int { return len(s.Volumes) + len(s.Locations) }

// Label is what one label says. What a label shows is decided here, so a
// sheet, a roll and a preview say the same; package labels draws it.
type Label struct {
	Barcode string
	// ForLocation is set for a location's label; else it is a volume's.
	ForLocation bool
	// A volume's label: its patient and "volume n of m". Temporary marks a
	// folder made while the original is missing, and SameNameAlert a
	// patient who shares a name with another: both print as banners so
	// nobody files or reads them by mistake.
	FamilyName, GivenName, NHSNumber, HospitalNumber string
	BirthDate                                        *Date
	VolumeNumber, VolumeCount                        int
	Temporary, SameNameAlert                         bool
	// A location's label.
	LocationName, LocationKind, LocationCode string
}

// VolumeLabel is the label of a volume (read with its patient); sameName
// says whether the patient shares a name with another.
func VolumeLabel(v *Volume, sameName bool) Label {
	l := Label{Barcode: v.Barcode, VolumeNumber: v.Number, VolumeCount: v.Count,
		Temporary: v.Status == StatusTemporary, SameNameAlert: sameName}
	if p := v.Patient; p != nil {
		l.FamilyName, l.GivenName, l.NHSNumber, l.HospitalNumber = p.FamilyName, p.GivenName, p.NHSNumber, p.HospitalNumber
		l.BirthDate = p.BirthDate
	}
	return l
}

// LocationLabel is the label of a location.
func LocationLabel(loc *Location) Label {
	return Label{Barcode: loc.Barcode, ForLocation: true, LocationName: loc.Name, LocationKind: string(loc.Kind),
		LocationCode: loc.Code}
}

// Labels are the set's labels: volumes first, then locations.
func (s *LabelSet) Labels() []Label {
	out := make([]Label, 0, s.Len())
	for _, v := range s.Volumes {
		out = append(out, VolumeLabel(v, s.SameName[v.PatientID]))
	}
	for _, l := range s.Locations {
		out = append(out, LocationLabel(l))
	}
	return out
}

// PrintRecord is one label printed (or downloaded for printing): the print
// log records who printed what, when and where, and which copy it was, so a
// reprint of a damaged label is visible as one.
type PrintRecord struct {
	At        time.Time
	Actor     string
	Printer   string
	Format    string
	Barcode   string
	PatientID int64
	// Copy is 1 for the first print of the barcode, 2 for its first reprint...
	Copy int
}

// PrintStore is the part of Store that keeps the print log and finds what
// batch label sets need.
type PrintStore interface {
	// LogPrints appends the records, filling in each one's Copy.
	LogPrints(ctx context.Context, recs []*PrintRecord) error
	FindVolumesCreatedSince(ctx context.Context, since time.Time, limit int) ([]*Volume, error)
	// SameNamePatients reports which of the patients share a family and
	// given name with another patient.
	SameNamePatients(ctx context.Context, patientIDs []int64) (map[int64]bool, error)
}

// SelectLabels resolves a selection into the volumes and locations to
// print. Reading patients' details for labels is written to the access log.
func (s *Service) SelectLabels(ctx context.Context, a Actor, sel LabelSelection) (*LabelSet, error) {
	set := &LabelSet{}
	if err := s.selectVolumes(ctx, sel, set); err != nil {
		return nil, err
	}
	if err := s.selectLocations(ctx, sel, set); err != nil {
		return nil, err
	}
	switch n := set.Len(); {
	case n == 0:
		return nil, FieldError("volumes", "Choose at least one volume or location to print.")
	case n > maxLabels:
		return nil, FieldError("volumes", "At most %d labels can be printed at once (%d chosen).", maxLabels, n)
	}
	ids := patientIDs(set.Volumes)
	same, err := s.Store.SameNamePatients(ctx, ids)
	if err != nil {
		return nil, err
	}
	set.SameName = same
	return set, s.audit(ctx, a, "label", "", ids...)
}

func (s *Service) selectVolumes(ctx context.Context, sel LabelSelection, set *LabelSet) error {
	for _, bc := range sel.Volumes {
		v, err := s.Store.FindVolumeByBarcode(ctx, normalizeCode(bc))
		if err != nil {
			return notFoundAsInvalid(err, "volumes", "No volume has the barcode %q.", bc)
		}
		set.Volumes = append(set.Volumes, v)
	}
	for _, hn := range sel.Patients {
		p, err := s.Store.FindPatientByHospitalNumber(ctx, normalizeCode(hn))
		if err != nil {
			return notFoundAsInvalid(err, "patients", "No patient has the hospital number %q.", hn)
		}
		vols, err := s.Store.FindVolumesOfPatient(ctx, p.ID)
		if err != nil {
			return err
		}
		set.Volumes = append(set.Volumes, vols...)
	}
	if sel.RegisteredSince != nil {
		vols, err := s.Store.FindVolumesCreatedSince(ctx, sel.RegisteredSince.Time, maxLabels+1)
		if err != nil {
			return err
		}
		set.Volumes = append(set.Volumes, vols...)
	}
	return nil
}

func (s *Service) selectLocations(ctx context.Context, sel LabelSelection, set *LabelSet) error {
	for _, code := range sel.Locations {
		l, err := s.FindLocation(ctx, code)
		if err != nil {
			return notFoundAsInvalid(err, "locations", "No location has the code or barcode %q.", code)
		}
		set.Locations = append(set.Locations, l)
	}
	if r := sel.LocationRange; r != nil {
		from, to := normalizeCode(r.From), normalizeCode(r.To)
		if from == "" || to == "" || from > to {
			return FieldError("location_range", "A location range needs from and to codes, from sorting first.")
		}
		all, err := s.Store.FindLocations(ctx, LocationFilter{})
		if err != nil {
			return err
		}
		for _, l := range all {
			if strings.Compare(l.Code, from) >= 0 && strings.Compare(l.Code, to) <= 0 {
				set.Locations = append(set.Locations, l)
			}
		}
	}
	return nil
}

func patientIDs(vols []*Volume) []int64 {
	seen := map[int64]bool{}
	var ids []int64
	for _, v := range vols {
		if !seen[v.PatientID] {
			seen[v.PatientID] = true
			ids = append(ids, v.PatientID)
		}
	}
	return ids
}

// LogPrints records that the set was printed on printer (or downloaded as
// format) by the actor, and returns how many of the labels were reprints.
func (s *Service) LogPrints(ctx context.Context, a Actor, set *LabelSet, printer, format string) (reprints int, err error) {
	now := s.now()
	var recs []*PrintRecord
	for _, v := range set.Volumes {
		recs = append(recs, &PrintRecord{At: now, Actor: a.Name, Printer: printer, Format: format, Barcode: v.Barcode, PatientID: v.PatientID})
	}
	for _, l := range set.Locations {
		recs = append(recs, &PrintRecord{At: now, Actor: a.Name, Printer: printer, Format: format, Barcode: l.Barcode})
	}
	if err := s.Store.LogPrints(ctx, recs); err != nil {
		return 0, err
	}
	for _, r := range recs {
		if r.Copy > 1 {
			reprints++
		}
	}
	return reprints, nil
}
