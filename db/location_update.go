package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// periodOf reads a location's own loan period, kept in whole seconds.
func periodOf(seconds *int64) *tracking.Period {
	if seconds == nil {
		return nil
	}
	p := tracking.Period(time.Duration(*seconds) * time.Second)
	return &p
}

func secondsOf(p *tracking.Period) *int64 {
	if p == nil {
		return nil
	}
	s := int64(p.Duration() / time.Second)
	return &s
}

// UpdateLocation stores a location's editable fields.
func (db *DB) UpdateLocation(ctx context.Context, l *tracking.Location) error {
	res := db.gorm.WithContext(ctx).Exec(`UPDATE locations SET name = ?, kind = ?, parent_id = ?, legacy_barcode = ?,
		gln = ?, loan_period_seconds = ?, sensitive = ? WHERE id = ?`, l.Name, string(l.Kind), nullableID(l.ParentID),
		nullable(l.LegacyBarcode), nullable(l.GLN), secondsOf(l.LoanPeriod), l.Sensitive, l.ID)
	if res.Error == nil && res.RowsAffected == 0 {
		return tracking.Errorf(tracking.ENOTFOUND, "No location %s.", l.Code)
	}
	return translate(res.Error, "location with this GLN or legacy barcode")
}

// FindLocationsInside walks the location tree down from the location.
// Both dialects take the recursive query; a cycle cannot arise (the
// service refuses one), and UNION would end one anyway.
func (db *DB) FindLocationsInside(ctx context.Context, id int64) ([]int64, error) {
	var ids []int64
	err := scan(db.gorm.WithContext(ctx).Raw(`WITH RECURSIVE inside(id) AS (
		SELECT id FROM locations WHERE parent_id = ?
		UNION SELECT l.id FROM locations l JOIN inside i ON l.parent_id = i.id)
		SELECT id FROM inside ORDER BY id`, id), &ids)
	return ids, translate(err, "location")
}
