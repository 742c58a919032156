package tracking

import (
	"context"
	"strings"
	"time"
)

// VolumeStatus is where a folder stands in its life.
type VolumeStatus string

// The statuses of a casenote volume.
const (
	StatusActive    VolumeStatus = "active"
	StatusClosed    VolumeStatus = "closed"    // an older volume kept in the library
	StatusTemporary VolumeStatus = "temporary" // made when the real one can't be found
	StatusMissing   VolumeStatus = "missing"
	StatusArchived  VolumeStatus = "archived" // off-site
	StatusDestroyed VolumeStatus = "destroyed"
	// StatusAmalgamated is a temporary folder whose papers went into the
	// original when it turned up: final, and set only by amalgamating.
	StatusAmalgamated VolumeStatus = "amalgamated"
)

// Volume is one physical casenote folder. A patient has volumes 1..n, each
// with its own barcode; a scan moves exactly one of them.
type Volume struct {
	ID        int64        `json:"-"`
	PatientID int64        `json:"-"`
	Barcode   string       `json:"barcode"`
	Number    int          `json:"volume_number"`
	Count     int          `json:"volume_count,omitempty"`
	Status    VolumeStatus `json:"status"`
	Patient   *Patient     `json:"patient,omitempty"`
	HomeID    int64        `json:"-"`
	Home      *Location    `json:"home_location,omitempty"`
	CurrentID int64        `json:"-"`
	Current   *Location    `json:"current_location,omitempty"`
	Since     Timestamp    `json:"since"`
	// LastScanAt is the time of the latest scan that booked the volume
	// anywhere: a scan older than it is late. Nil before the first.
	LastScanAt *time.Time `json:"-"`
	CreatedAt  time.Time  `json:"-"`
	LegacyCode string     `json:"legacy_barcode,omitempty"`
	// Requested is set while an open request may want the volume, so a
	// scan of it decides the request too; read with the volume.
	Requested bool `json:"-"`
	// RelabelMerge is the open merge that lists the volume among the
	// folders to relabel, or 0: read with the volume, so a scan warns
	// with no query of its own (see relabelNotice).
	RelabelMerge int64 `json:"-"`
	// Original is the barcode of the missing volume a temporary folder
	// stands in for, Due the day it should have been amalgamated by, and
	// AmalgamatedInto the volume its papers went into. They are read only
	// where a volume is shown on its own (see Service.FindVolume).
	Original        string `json:"original,omitempty"`
	Due             *Date  `json:"due,omitempty"`
	AmalgamatedInto string `json:"amalgamated_into,omitempty"`
	// StatusHistory is every change of status, oldest first, where a
	// volume is shown on its own.
	StatusHistory []*StatusChange `json:"status_history,omitempty"`
	// Retention is what stands between the volume and its destruction
	// (its review date, a legal hold, a proposal awaiting a second
	// person), where a volume is shown on its own; nil when nothing does.
	*Retention
}

// Movable reports whether scans may move the volume. Destroyed folders no
// longer exist and amalgamated ones are empty; every other status can
// still travel.
func (v *Volume) Movable() bool { return Movable(v.Status) }

// Movable reports whether a scan may move a volume with the status.
func Movable(st VolumeStatus) bool { return st != StatusDestroyed && st != StatusAmalgamated }

// VolumeStore is the part of Store that keeps volumes.
type VolumeStore interface {
	// CreateVolume gives the patient's next volume number and a barcode.
	CreateVolume(ctx context.Context, v *Volume) error
	// FindVolumeByBarcode matches generated and legacy barcodes; the volume
	// comes with its patient and locations.
	FindVolumeByBarcode(ctx context.Context, barcode string) (*Volume, error)
	// FindVolumesByBarcodes finds at once every volume whose generated
	// barcode (in any case) or legacy barcode is among values.
	FindVolumesByBarcodes(ctx context.Context, values []string) ([]*Volume, error)
	FindVolumesAt(ctx context.Context, locationID int64) ([]*Volume, error)
	FindVolumesOfPatient(ctx context.Context, patientID int64) ([]*Volume, error)
	UpdateVolume(ctx context.Context, id int64, upd VolumeUpdate) error
}

// VolumeStatuses lists every status, in the order forms offer them.
var VolumeStatuses = []VolumeStatus{StatusActive, StatusClosed, StatusTemporary, StatusMissing, StatusArchived, StatusDestroyed}

// VolumeUpdate is a change to a volume's record; nil fields stay as they are.
type VolumeUpdate struct {
	Status *VolumeStatus `json:"status"`
	// Note says why: for a missing volume, where it was searched.
	Note string `json:"note"`
	// RetainUntil sets or clears the date the volume must be kept until.
	RetainUntil Change[Date] `json:"-"`
	// Change is the status change as the service decided it, for the
	// store to write into the volume's status history with the status.
	Change *StatusChange `json:"-"`
	// Retention is what the service saw standing between the volume and
	// its destruction when it decided to destroy it: the store refuses
	// the change if that is no longer so.
	Retention *Retention `json:"-"`
	// Propose, when set, keeps a proposal to destroy the volume instead
	// of a status change.
	Propose *DestructionProposal `json:"-"`
	// By and At are who made the update and when, for the review date.
	By string    `json:"-"`
	At time.Time `json:"-"`
}

// UpdateVolume changes a volume's status or the date it must be kept
// until: a records manager marks notes missing after a search (the note
// says where), closes an old volume or records destruction. Each change
// of status goes into the volume's status history. A destroyed volume
// stays destroyed (its record is the stub retention law requires), and
// only amalgamating makes or unmakes an amalgamated one. Destruction is
// refused under a legal hold or before the review date, and takes two
// people when the service says so (SAFETY.md H09).
func (s *Service) UpdateVolume(ctx context.Context, a Actor, barcode string, upd VolumeUpdate) (*Volume, error) {
	v, err := s.Store.FindVolumeByBarcode(ctx, normalizeCode(barcode))
	if err != nil {
		return nil, err
	}
	now := s.now()
	upd.By, upd.At = a.Name, now
	if upd.RetainUntil.Action != KeepValue {
		if err := s.checkRetainUntilChange(ctx, a, v, upd); err != nil {
			return nil, err
		}
	}
	if upd.Status != nil {
		note, err := CheckStatusChange(v, *upd.Status, upd.Note)
		if err != nil {
			return nil, err
		}
		upd.Change = &StatusChange{Status: *upd.Status, From: v.Status, Note: note, By: a.Name, At: TimestampOf(now)}
		if v.Status == *upd.Status && note == "" {
			upd.Status, upd.Change = nil, nil // nothing to say
		}
	}
	if upd.Status != nil && *upd.Status == StatusDestroyed {
		if err := s.decideDestruction(ctx, a, v, &upd, now); err != nil {
			return nil, err
		}
	}
	if err := s.Store.UpdateVolume(ctx, v.ID, upd); err != nil {
		return nil, err
	}
	if upd.Status != nil {
		v.Status = *upd.Status
	}
	if err := s.withRecord(ctx, a, v); err != nil {
		return nil, err
	}
	return v, s.audit(ctx, a, "update_volume", v.Barcode, v.PatientID)
}

// checkRetainUntilChange checks a change of a volume's review date
// against the one stored: see CheckRetainUntilChange.
func (s *Service) checkRetainUntilChange(ctx context.Context, a Actor, v *Volume, upd VolumeUpdate) error {
	rs, err := s.Store.FindRetention(ctx, []int64{v.ID})
	if err != nil {
		return err
	}
	var stored *Date
	if r := rs[v.ID]; r != nil {
		stored = r.RetainUntil
	}
	destroying := upd.Status != nil && *upd.Status == StatusDestroyed
	return CheckRetainUntilChange(stored, upd.RetainUntil, a.Role, destroying)
}

// decideDestruction checks a destruction against the volume's stored
// retention, and turns it into a proposal, or an approval
// naming the proposer, when destruction takes two people.
func (s *Service) decideDestruction(ctx context.Context, a Actor, v *Volume, upd *VolumeUpdate, now time.Time) error {
	rs, err := s.Store.FindRetention(ctx, []int64{v.ID})
	if err != nil {
		return err
	}
	r := rs[v.ID]
	if r == nil {
		r = &Retention{}
	}
	upd.Retention = r
	if err := CheckDestruction(v, r.ForRole(a.Role), DateOf(now.In(s.zone()))); err != nil {
		return err
	}
	switch NextDestructionStep(s.TwoPersonDestruction, r.Proposal, a.Name, now) {
	case ProposeDestroy:
		upd.Propose = &DestructionProposal{By: a.Name, At: TimestampOf(now), Note: upd.Change.Note}
		upd.Status, upd.Change = nil, nil
	case DestroyNotAgain:
		return &Error{Code: ECONFLICT, Field: "status", Message: "You proposed destroying volume " + v.Barcode +
			": a second person must approve it."}
	case DestroyNow:
		if p := r.Proposal; p != nil && s.TwoPersonDestruction {
			approval := "proposed by " + p.By + " on " + DateOf(p.At.Time).Label() + ", approved by " + a.Name
			if p.Note != "" {
				approval = p.Note + " (" + approval + ")"
			}
			if upd.Change.Note != "" {
				approval += ": " + upd.Change.Note
			}
			upd.Change.Note = approval
		}
	}
	return nil
}

// ValidateVolumeStatus checks a status given from outside (an API call, an
// import file) against the fixed set, so that no folder holds a status the
// rules do not know.
func ValidateVolumeStatus(st VolumeStatus) error {
	for _, v := range VolumeStatuses {
		if v == st {
			return nil
		}
	}
	return FieldError("status", "Status %q is not one of active, closed, temporary, missing, archived, destroyed.", st)
}

// MaxVolumeNumber is the highest volume number accepted from outside: a
// patient with a thousand folders is a typing slip, not a record.
const MaxVolumeNumber = 999

// ParseVolumeNumber reads a volume number written in a file or form: 1 to
// MaxVolumeNumber in plain digits (leading zeros allowed, as legacy
// systems pad them).
func ParseVolumeNumber(s string) (int, error) {
	if s == "" {
		return 0, FieldError("volume_number", "Volume number is required.")
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, FieldError("volume_number", "Volume number %q must be a whole number from 1 to %d.", s, MaxVolumeNumber)
		}
		if n = n*10 + int(s[i]-'0'); n > MaxVolumeNumber {
			return 0, FieldError("volume_number", "Volume number %s is more than %d.", s, MaxVolumeNumber)
		}
	}
	if n == 0 {
		return 0, FieldError("volume_number", "Volume number must be 1 or more.")
	}
	return n, nil
}

// VolumeInput is what may be said about a new volume: its home location
// (a code; default the first library) and the barcode already on it, for
// folders labelled by a legacy tracking system.
type VolumeInput struct {
	Home          string `json:"home"`
	LegacyBarcode string `json:"legacy_barcode"`
	// Temporary makes a temporary folder (see temporary.go), standing in
	// for the Original (a barcode) when one is named, to be amalgamated
	// by Due (YYYY-MM-DD; default TemporaryDue from now). A new
	// patient's first volume is never temporary.
	Temporary bool   `json:"temporary"`
	Original  string `json:"original"`
	Due       string `json:"due"`
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
	if err := s.createVolume(ctx, a, v, in, vols); err != nil {
		return nil, err
	}
	p.Volumes = nil
	v.Patient = p
	v.Count = v.Number
	return v, s.audit(ctx, a, "add_volume", v.Barcode, p.ID)
}

// FindVolume finds a volume by barcode with its patient, locations and
// status history, and a temporary folder with what it stands in for.
func (s *Service) FindVolume(ctx context.Context, a Actor, barcode string) (*Volume, error) {
	v, err := s.Store.FindVolumeByBarcode(ctx, strings.TrimSpace(barcode))
	if err != nil {
		return nil, err
	}
	if err := s.withRecord(ctx, a, v); err != nil {
		return nil, err
	}
	if err := s.maskVolumes(ctx, a, []*Volume{v}); err != nil {
		return nil, err
	}
	return v, s.audit(ctx, a, "view_volume", v.Barcode, v.PatientID)
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

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
