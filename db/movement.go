package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

type movementView struct {
	ID           int64
	VolumeID     int64
	ToLocationID int64
	ScannedAt    time.Time
	ReceivedAt   time.Time
	ByName       string
	Device       string
	Channel      string
	ScanID       *string
	ToCode       string
	SweepID      *int64
}

// FindMovements returns a volume's movements in scan-time order (ties in
// arrival order). From is derived from that order rather than stored, so a
// late scan slotted into the past keeps the whole chain consistent.
func (db *DB) FindMovements(ctx context.Context, volumeID int64) ([]*tracking.Movement, error) {
	var home []string
	if err := scan(db.gorm.WithContext(ctx).Raw(`SELECT l.code FROM volumes v JOIN locations l ON l.id = v.home_location_id
		WHERE v.id = ?`, volumeID), &home); err != nil {
		return nil, translate(err, "volume")
	}
	if len(home) == 0 {
		return nil, tracking.Errorf(tracking.ENOTFOUND, "No such volume.")
	}
	var rows []movementView
	if err := scan(db.gorm.WithContext(ctx).Raw(`SELECT m.*, l.code AS to_code, ss.sweep_id FROM movements m
		JOIN locations l ON l.id = m.to_location_id LEFT JOIN sweep_scans ss ON ss.scan_id = m.scan_id
		WHERE m.volume_id = ? ORDER BY m.scanned_at, m.id`, volumeID), &rows); err != nil {
		return nil, translate(err, "movement")
	}
	out := make([]*tracking.Movement, len(rows))
	from := home[0]
	for i, r := range rows {
		out[i] = &tracking.Movement{ID: r.ID, VolumeID: r.VolumeID, From: from, To: r.ToCode,
			ScannedAt: tracking.TimestampOf(r.ScannedAt), ReceivedAt: tracking.TimestampOf(r.ReceivedAt),
			By: r.ByName, Device: r.Device, Channel: r.Channel, ScanID: deref(r.ScanID), Sweep: tracking.SweepID(derefID(r.SweepID))}
		from = r.ToCode
	}
	return out, nil
}
