package tracking

import (
	"context"
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
}

// Movable reports whether scans may move the volume. Destroyed folders no
// longer exist; every other status can still travel.
func (v *Volume) Movable() bool { return v.Status != StatusDestroyed }

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
}

// UpdateVolume changes a volume's status: a records manager marks notes
// missing after a search, closes an old volume or records destruction. A
// destroyed volume stays destroyed: its record is the stub retention law
// requires.
func (s *Service) UpdateVolume(ctx context.Context, a Actor, barcode string, upd VolumeUpdate) (*Volume, error) {
	v, err := s.Store.FindVolumeByBarcode(ctx, normalizeCode(barcode))
	if err != nil {
		return nil, err
	}
	if upd.Status != nil {
		if err := ValidateVolumeStatus(*upd.Status); err != nil {
			return nil, err
		}
		if v.Status == StatusDestroyed && *upd.Status != StatusDestroyed {
			return nil, Errorf(ECONFLICT, "Volume %s is recorded as destroyed; its status cannot change.", v.Barcode)
		}
	}
	if err := s.Store.UpdateVolume(ctx, v.ID, upd); err != nil {
		return nil, err
	}
	if upd.Status != nil {
		v.Status = *upd.Status
	}
	return v, s.audit(ctx, a, "update_volume", v.Barcode, v.PatientID)
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
