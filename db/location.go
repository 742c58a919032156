package db

import (
	"context"
	"strings"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// locationColumns selects a location with its parent's code.
const locationColumns = `l.id, l.code, l.name, l.kind, l.barcode, l.legacy_barcode, l.gln, l.parent_id, l.created_at,
	l.loan_period_seconds, l.sensitive, p.code AS parent_code`

// locationView is a location row with its parent's code. Views are flat
// structs: gorm does not scan raw query columns into embedded structs.
type locationView struct {
	ID                int64
	Code              string
	Name              string
	Kind              string
	Barcode           *string
	LegacyBarcode     *string
	GLN               *string `gorm:"column:gln"`
	ParentID          *int64
	CreatedAt         time.Time
	LoanPeriodSeconds *int64
	Sensitive         bool
	ParentCode        *string
}

func (r *locationView) location() *tracking.Location {
	return &tracking.Location{ID: r.ID, Code: r.Code, Name: r.Name, Kind: tracking.LocationKind(r.Kind),
		Barcode: deref(r.Barcode), LegacyBarcode: deref(r.LegacyBarcode), ParentID: derefID(r.ParentID), ParentCode: deref(r.ParentCode),
		GLN: deref(r.GLN), CreatedAt: r.CreatedAt, LoanPeriod: periodOf(r.LoanPeriodSeconds), Sensitive: r.Sensitive}
}

// CreateLocation stores the location and gives it its generated barcode.
func (db *DB) CreateLocation(ctx context.Context, l *tracking.Location) error {
	err := db.tx(ctx, func(tx *gorm.DB) error { return insertLocation(tx, l) })
	return translate(err, "location with code "+l.Code+" (or with this GLN or legacy barcode)")
}

// insertLocation stores a new location and gives it its generated barcode.
func insertLocation(tx *gorm.DB, l *tracking.Location) error {
	err := scan(tx.Raw(`INSERT INTO locations (code, name, kind, gln, legacy_barcode, parent_id, created_at, loan_period_seconds, sensitive)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, l.Code, l.Name, string(l.Kind), nullable(l.GLN),
		nullable(l.LegacyBarcode), nullableID(l.ParentID), l.CreatedAt.UTC(), secondsOf(l.LoanPeriod), l.Sensitive), &l.ID)
	if err != nil {
		return err
	}
	l.Barcode = tracking.LocationBarcode(l.ID)
	return tx.Exec("UPDATE locations SET barcode = ? WHERE id = ?", l.Barcode, l.ID).Error
}

func (db *DB) findLocation(ctx context.Context, where string, args ...any) (*tracking.Location, error) {
	var rows []locationView
	err := scan(db.gorm.WithContext(ctx).Raw("SELECT "+locationColumns+
		" FROM locations l LEFT JOIN locations p ON p.id = l.parent_id WHERE "+where+" LIMIT 1", args...), &rows)
	if err != nil {
		return nil, translate(err, "location")
	}
	if len(rows) == 0 {
		return nil, tracking.Errorf(tracking.ENOTFOUND, "No such location.")
	}
	return rows[0].location(), nil
}

// FindLocationByID finds a location by its internal id.
func (db *DB) FindLocationByID(ctx context.Context, id int64) (*tracking.Location, error) {
	return db.findLocation(ctx, "l.id = ?", id)
}

// FindLocationByCode finds a location by its code.
func (db *DB) FindLocationByCode(ctx context.Context, code string) (*tracking.Location, error) {
	return db.findLocation(ctx, "l.code = ?", code)
}

// FindLocationByBarcode matches a generated barcode in any case, a legacy
// barcode exactly as stored, or a GLN.
func (db *DB) FindLocationByBarcode(ctx context.Context, barcode string) (*tracking.Location, error) {
	return db.findLocation(ctx, "l.barcode = ? OR l.legacy_barcode = ? OR l.gln = ?", strings.ToUpper(barcode), barcode, barcode)
}

// FindLocations lists locations by kind and text, libraries first by code.
func (db *DB) FindLocations(ctx context.Context, f tracking.LocationFilter) ([]*tracking.Location, error) {
	return findLocations(db.gorm.WithContext(ctx), f)
}

// findLocations is FindLocations through g, which may be a transaction's.
func findLocations(g *gorm.DB, f tracking.LocationFilter) ([]*tracking.Location, error) {
	q := g.Table("locations l").Select(locationColumns).
		Joins("LEFT JOIN locations p ON p.id = l.parent_id").Order("l.id")
	if f.Kind != "" {
		q = q.Where("l.kind = ?", string(f.Kind))
	}
	if f.Query != "" {
		like := "%" + escapeLike(strings.ToLower(f.Query)) + "%"
		q = q.Where("lower(l.code) LIKE ? ESCAPE '\\' OR lower(l.name) LIKE ? ESCAPE '\\'", like, like)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var rows []locationView
	if err := scan(q, &rows); err != nil {
		return nil, translate(err, "location")
	}
	out := make([]*tracking.Location, len(rows))
	for i := range rows {
		out[i] = rows[i].location()
	}
	return out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefID(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nullableID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// FindSensitiveLocations lists the locations marked sensitive.
func (db *DB) FindSensitiveLocations(ctx context.Context) ([]*tracking.Location, error) {
	var rows []struct {
		ID   int64
		Code string
	}
	if err := scan(db.gorm.WithContext(ctx).Raw("SELECT id, code FROM locations WHERE sensitive"), &rows); err != nil {
		return nil, translate(err, "location")
	}
	out := make([]*tracking.Location, len(rows))
	for i, r := range rows {
		out[i] = &tracking.Location{ID: r.ID, Code: r.Code, Sensitive: true}
	}
	return out, nil
}
