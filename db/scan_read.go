package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// FindScanResponses returns the stored answers of the given scan ids.
func (db *DB) FindScanResponses(ctx context.Context, ids []string) (map[string][]byte, error) {
	out := make(map[string][]byte)
	for len(ids) > 0 {
		n := min(len(ids), 1000)
		stored, err := storedResponses(storedQuery(db.dialect, db.gorm.WithContext(ctx), ids[:n]))
		if err != nil {
			return nil, translate(err, "scan")
		}
		for id, resp := range stored {
			out[id] = []byte(resp)
		}
		ids = ids[n:]
	}
	return out, nil
}

// storedQuery reads the stored answers of scan ids. On PostgreSQL each id is
// one index look-up, whatever the planner knows of the table (see
// volumesByCodes); the scan log is the largest table there is.
func storedQuery(dialect string, q *gorm.DB, ids []string) *gorm.DB {
	if dialect == Postgres {
		return q.Raw(`SELECT s.scan_id, s.response FROM unnest(?::text[]) AS k(id) CROSS JOIN LATERAL
			(SELECT scan_id, response FROM scans WHERE scan_id = k.id OFFSET 0) s`, textArray(ids))
	}
	where, arg := inList(dialect, "scan_id", ids)
	return q.Raw("SELECT scan_id, response FROM scans WHERE "+where, arg)
}

// FindDeviceContext returns where a device last scanned a location.
func (db *DB) FindDeviceContext(ctx context.Context, device string) (*tracking.DeviceContext, error) {
	var rows []struct {
		LocationID int64
		SetAt      time.Time
		SetBy      string
		ScanID     string
	}
	if err := scan(db.gorm.WithContext(ctx).Raw("SELECT location_id, set_at, set_by, scan_id FROM devices WHERE name = ?", device), &rows); err != nil {
		return nil, translate(err, "device")
	}
	if len(rows) == 0 {
		return nil, tracking.Errorf(tracking.ENOTFOUND, "Device %q has not scanned a location yet.", device)
	}
	l, err := db.FindLocationByID(ctx, rows[0].LocationID)
	if err != nil {
		return nil, err
	}
	r := rows[0]
	return &tracking.DeviceContext{Device: device, Location: l, SetAt: r.SetAt.UTC(), SetBy: r.SetBy, ScanID: r.ScanID}, nil
}

// FindScans lists stored scans, newest first, for review: as many as the
// filter's limit, when it has one.
func (db *DB) FindScans(ctx context.Context, f tracking.ScanFilter) ([]*tracking.StoredScan, error) {
	q := db.gorm.WithContext(ctx).Table("scans").Order("id DESC")
	switch {
	case f.Result == "":
	case f.Result.Reviewed():
		// Written out, not bound, so the planner can use the partial
		// index that holds exactly these (the value is one of ours).
		q = q.Where("result = '" + string(f.Result) + "'")
	default:
		q = q.Where("result = ?", string(f.Result))
	}
	if f.Device != "" {
		q = q.Where("device = ?", f.Device)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var rows []struct {
		AttemptedScanID, Raw, Result, Device, Channel, ByName, Message string
		ScannedAt, ReceivedAt                                          time.Time
	}
	if err := scan(q, &rows); err != nil {
		return nil, translate(err, "scan")
	}
	out := make([]*tracking.StoredScan, len(rows))
	for i, r := range rows {
		out[i] = &tracking.StoredScan{ScanID: r.AttemptedScanID, Barcode: r.Raw, Result: tracking.Result(r.Result),
			Device: r.Device, Channel: r.Channel, By: r.ByName, Message: r.Message,
			ScannedAt: tracking.TimestampOf(r.ScannedAt), ReceivedAt: tracking.TimestampOf(r.ReceivedAt)}
	}
	return out, nil
}
