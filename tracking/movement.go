package tracking

import (
	"context"
	"strings"
	"time"
)

// Movement is one volume arriving at one location. Movements are only ever
// appended: a correction is a new movement, so the history a records manager
// audits is the history that happened.
type Movement struct {
	ID         int64     `json:"-"`
	VolumeID   int64     `json:"-"`
	From       string    `json:"from"`
	To         string    `json:"to"`
	ScannedAt  Timestamp `json:"scanned_at"`
	ReceivedAt Timestamp `json:"received_at"`
	By         string    `json:"by"`
	Device     string    `json:"device"`
	Channel    string    `json:"channel"`
	ScanID     string    `json:"scan_id"`
	// Sweep is the sweep the movement's scan was made for: a movement
	// from a sweep corrects where the records said a folder was.
	Sweep SweepID `json:"sweep,omitempty"`
}

// MovementStore is the part of Store that reads movement history.
type MovementStore interface {
	// FindMovements returns a volume's movements oldest first in scan-time
	// order (ties in arrival order), each with From set to where the volume
	// was before it.
	FindMovements(ctx context.Context, volumeID int64) ([]*Movement, error)
}

// Supersedes reports whether a movement scanned at newAt decides a volume's
// current location over the movement that decides it now (scanned at
// lastAt, zero when there is none). Scan time wins, not arrival time; equal
// times go to the later arrival, which is always the one being recorded.
func Supersedes(newAt, lastAt time.Time) bool {
	return lastAt.IsZero() || !newAt.Before(lastAt)
}

// FindMovements returns a volume's history, oldest first in scan-time order.
func (s *Service) FindMovements(ctx context.Context, a Actor, barcode string) ([]*Movement, error) {
	v, err := s.Store.FindVolumeByBarcode(ctx, strings.TrimSpace(barcode))
	if err != nil {
		return nil, err
	}
	ms, err := s.Store.FindMovements(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	if err := s.maskMovements(ctx, a, ms); err != nil {
		return nil, err
	}
	return ms, s.audit(ctx, a, "view_movements", v.Barcode, v.PatientID)
}
