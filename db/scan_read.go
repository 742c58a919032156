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
// filter's limit, when it has one. Each says where its device was booking
// to when it scanned: the location of the device's last location scan
// before it (one look-up in scans_location_set).
func (db *DB) FindScans(ctx context.Context, f tracking.ScanFilter) ([]*tracking.StoredScan, error) {
	q := db.gorm.WithContext(ctx).Table("scans s").Select(`s.attempted_scan_id, s.raw, s.result, s.device,
		s.channel, s.by_name, s.message, s.scanned_at, s.received_at, s.checked_by, s.checked_at,
		b.id AS booking_id, b.code AS booking_code, b.name AS booking_name, b.kind AS booking_kind`).
		Joins(`LEFT JOIN locations b ON b.id = (SELECT c.location_id FROM scans c WHERE c.device = s.device
			AND c.result = 'location_set' AND c.id < s.id AND s.device <> '' ORDER BY c.id DESC LIMIT 1)`).
		Order("s.id DESC")
	q = whereScans(q, f)
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var rows []storedScanRow
	if err := scan(q, &rows); err != nil {
		return nil, translate(err, "scan")
	}
	out := make([]*tracking.StoredScan, len(rows))
	for i := range rows {
		out[i] = rows[i].storedScan()
	}
	return out, nil
}

// whereScans narrows the scans listed as the filter asks.
func whereScans(q *gorm.DB, f tracking.ScanFilter) *gorm.DB {
	switch {
	case f.Result == "":
	case f.Result.Reviewed():
		// Written out, not bound, so the planner can use the partial
		// index that holds exactly these (the value is one of ours).
		q = q.Where("s.result = '" + string(f.Result) + "'")
	default:
		q = q.Where("s.result = ?", string(f.Result))
	}
	if f.Device != "" {
		q = q.Where("s.device = ?", f.Device)
	}
	if f.Unchecked {
		q = q.Where("s.checked_at IS NULL")
	}
	if f.ScanID != "" {
		q = q.Where("s.scan_id = ?", f.ScanID)
	}
	return q
}

// storedScanRow is a stored scan as FindScans reads it.
type storedScanRow struct {
	AttemptedScanID, Raw, Result, Device, Channel, ByName, Message string
	ScannedAt, ReceivedAt                                          time.Time
	CheckedBy                                                      *string
	CheckedAt                                                      *time.Time
	BookingID                                                      *int64
	BookingCode, BookingName, BookingKind                          *string
}

func (r *storedScanRow) storedScan() *tracking.StoredScan {
	sc := &tracking.StoredScan{ScanID: r.AttemptedScanID, Barcode: r.Raw, Result: tracking.Result(r.Result),
		Device: r.Device, Channel: r.Channel, By: r.ByName, Message: r.Message,
		ScannedAt: tracking.TimestampOf(r.ScannedAt), ReceivedAt: tracking.TimestampOf(r.ReceivedAt),
		CheckedBy: deref(r.CheckedBy)}
	if r.CheckedAt != nil {
		at := tracking.TimestampOf(*r.CheckedAt)
		sc.CheckedAt = &at
	}
	if r.BookingID != nil {
		sc.BookingTo = &tracking.Location{ID: *r.BookingID, Code: deref(r.BookingCode), Name: deref(r.BookingName),
			Kind: tracking.LocationKind(deref(r.BookingKind))}
	}
	return sc
}

// MarkScanChecked records who checked a kept scan and when; a scan
// checked already keeps its first check.
func (db *DB) MarkScanChecked(ctx context.Context, scanID, by string, at time.Time) error {
	err := db.gorm.WithContext(ctx).Exec("UPDATE scans SET checked_by = ?, checked_at = ? WHERE scan_id = ? AND checked_at IS NULL",
		by, at.UTC(), scanID).Error
	return translate(err, "scan")
}
