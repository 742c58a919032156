package db

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// scanChunk is how many scans share one transaction in a batch: large
// enough that commits don't dominate, small enough that other devices'
// scans of the same volumes never wait long for the locks.
const scanChunk = 250

// RecordScans stores the records in order, scanChunk to a transaction.
// Each record is atomic on its own: a repeat scan id changes nothing and
// gets the first answer, whatever else is in the chunk.
func (db *DB) RecordScans(ctx context.Context, recs []*tracking.ScanRecord) error {
	for len(recs) > 0 {
		n := min(len(recs), scanChunk)
		chunk := recs[:n]
		err := db.tx(ctx, func(tx *gorm.DB) error {
			for _, r := range chunk {
				if err := recordScan(tx, r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			for _, r := range chunk {
				r.Response, r.Repeat = nil, false
			}
			return translate(err, "scan")
		}
		recs = recs[n:]
	}
	return nil
}

// recordScan writes one record inside tx. For a movement, the volume row is
// locked first, so concurrent scans of one volume are decided one at a
// time in a single well-defined order.
func recordScan(tx *gorm.DB, r *tracking.ScanRecord) error {
	var current bool
	if r.Moves() {
		var err error
		if current, err = decideMovement(tx, r); err != nil {
			return err
		}
	}
	resp, err := json.Marshal(r.Result)
	if err != nil {
		return fmt.Errorf("encode scan result: %w", err)
	}
	claimed, err := claimScanID(tx, r, resp)
	if err != nil || !claimed {
		return err
	}
	r.Response = resp
	if r.Moves() {
		if err := insertMovement(tx, r, current); err != nil {
			return err
		}
	}
	if r.Context != nil {
		return setDeviceContext(tx, r)
	}
	return nil
}

// decideMovement locks the volume, applies tracking's time-order rule and
// completes the answer with where the volume was and now is.
func decideMovement(tx *gorm.DB, r *tracking.ScanRecord) (bool, error) {
	var st []struct {
		CurrentLocationID int64
		LastScannedAt     *time.Time
	}
	if err := tx.Table("volumes").Select("current_location_id, last_scanned_at").
		Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", r.Volume.ID).Scan(&st).Error; err != nil {
		return false, err
	}
	if len(st) == 0 {
		return false, tracking.Errorf(tracking.ENOTFOUND, "The volume no longer exists.")
	}
	state := tracking.VolumeState{CurrentID: st[0].CurrentLocationID, LastScanAt: utc(st[0].LastScannedAt)}
	current := tracking.DecideMovement(r, state)
	prevID := state.CurrentID
	if !current {
		var err error
		if prevID, err = locationAt(tx, r.Volume, r.Scan.ScannedAt.Time); err != nil {
			return false, err
		}
	}
	prev, err := locationByID(tx, prevID, r.Volume)
	if err != nil {
		return false, err
	}
	v := *r.Volume
	if current {
		v.CurrentID, v.Current = r.Target.ID, r.Target
		if state.CurrentID != r.Target.ID {
			v.Since = r.Scan.ScannedAt
		}
	}
	r.Result.Volume, r.Result.PreviousLocation = &v, prev
	return current, nil
}

// locationAt is where the volume was just before a late scan's time: the
// latest earlier movement's destination, else its home.
func locationAt(tx *gorm.DB, v *tracking.Volume, at time.Time) (int64, error) {
	var ids []int64
	err := tx.Raw(`SELECT to_location_id FROM movements WHERE volume_id = ? AND scanned_at <= ?
		ORDER BY scanned_at DESC, id DESC LIMIT 1`, v.ID, at.UTC()).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return v.HomeID, err
	}
	return ids[0], nil
}

// locationByID reuses the locations the volume was loaded with before
// asking the database.
func locationByID(tx *gorm.DB, id int64, v *tracking.Volume) (*tracking.Location, error) {
	for _, l := range []*tracking.Location{v.Current, v.Home} {
		if l != nil && l.ID == id {
			return l, nil
		}
	}
	var rows []locationView
	err := tx.Raw("SELECT "+locationColumns+" FROM locations l LEFT JOIN locations p ON p.id = l.parent_id WHERE l.id = ?", id).
		Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return rows[0].location(), nil
}

// claimScanID inserts the scan row unless its scan id is already stored;
// then it loads the first answer instead and reports false.
func claimScanID(tx *gorm.DB, r *tracking.ScanRecord, resp []byte) (bool, error) {
	var ids []int64
	err := tx.Raw(`INSERT INTO scans (scan_id, attempted_scan_id, raw, code_kind, code_value, result, device, channel,
		by_name, location_id, volume_id, scanned_at, received_at, message, response)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scan_id) DO NOTHING RETURNING id`,
		r.Scan.ScanID, r.Scan.ScanID, r.Raw, string(r.Code.Kind), r.Code.Value, string(r.Result.Result), r.Scan.Device,
		r.Scan.Channel, r.Scan.By, locationIDOf(r.Result.Location), volumeIDOf(r.Result.Volume),
		r.Scan.ScannedAt.UTC(), r.ReceivedAt.UTC(), r.Result.Message, string(resp)).Scan(&ids).Error
	if err != nil || len(ids) == 1 {
		return len(ids) == 1, err
	}
	var first []string
	if err := tx.Raw("SELECT response FROM scans WHERE scan_id = ?", r.Scan.ScanID).Scan(&first).Error; err != nil {
		return false, err
	}
	if len(first) == 0 {
		return false, fmt.Errorf("scan id %q conflicted but was not found", r.Scan.ScanID)
	}
	r.Response, r.Repeat = []byte(first[0]), true
	return false, nil
}

func insertMovement(tx *gorm.DB, r *tracking.ScanRecord, current bool) error {
	m := movementRow{VolumeID: r.Volume.ID, ToLocationID: r.Target.ID, ScannedAt: r.Scan.ScannedAt.UTC(),
		ReceivedAt: r.ReceivedAt.UTC(), ByName: r.Scan.By, Device: r.Scan.Device, Channel: r.Scan.Channel,
		ScanID: nullable(r.Scan.ScanID)}
	if err := tx.Create(&m).Error; err != nil {
		return err
	}
	if !current {
		return nil
	}
	return tx.Exec(`UPDATE volumes SET current_location_id = ?, last_scanned_at = ?,
		current_since = CASE WHEN current_location_id = ? THEN current_since ELSE ? END WHERE id = ?`,
		r.Target.ID, m.ScannedAt, r.Target.ID, m.ScannedAt, r.Volume.ID).Error
}

func setDeviceContext(tx *gorm.DB, r *tracking.ScanRecord) error {
	return tx.Exec(`INSERT INTO devices (name, location_id, set_at, set_by, scan_id) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET location_id = excluded.location_id, set_at = excluded.set_at,
		set_by = excluded.set_by, scan_id = excluded.scan_id`,
		r.Scan.Device, r.Context.ID, r.ReceivedAt.UTC(), r.Scan.By, r.Scan.ScanID).Error
}

func locationIDOf(l *tracking.Location) *int64 {
	if l == nil {
		return nil
	}
	return &l.ID
}

func volumeIDOf(v *tracking.Volume) *int64 {
	if v == nil {
		return nil
	}
	return &v.ID
}
