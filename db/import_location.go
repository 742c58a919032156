package db

import (
	"context"
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// ImportLocations reads every stored location (a trust has thousands) and
// the volumes that answer to the batch's codes and barcodes, has the batch
// decide, and writes its locations in line order, so that a parent on an
// earlier line is in place (with its id) before its children.
func (db *DB) ImportLocations(ctx context.Context, b *tracking.LocationBatch) error {
	return db.importTx(ctx, b.DryRun, func(tx *gorm.DB) error {
		stored, err := findLocations(tx, tracking.LocationFilter{})
		if err != nil {
			return err
		}
		volumes, err := db.volumesAnswering(tx, b.Names())
		if err != nil {
			return err
		}
		b.Decide(stored, volumes)
		if b.DryRun {
			return nil
		}
		for _, w := range b.Writes {
			if err := writeLocation(tx, w); err != nil {
				return err
			}
		}
		return nil
	})
}

func writeLocation(tx *gorm.DB, w tracking.LocationWrite) error {
	l := w.Location
	if w.Parent != nil {
		l.ParentID = w.Parent.ID
	}
	if l.ID == 0 {
		return insertLocation(tx, l)
	}
	return tx.Exec("UPDATE locations SET name = ?, kind = ?, parent_id = ?, legacy_barcode = ? WHERE id = ?",
		l.Name, string(l.Kind), nullableID(l.ParentID), nullable(l.LegacyBarcode), l.ID).Error
}

// volumesAnswering reads the volumes a scan of any of the names would
// find: by generated barcode in any case, or by legacy barcode exactly.
func (db *DB) volumesAnswering(tx *gorm.DB, names []string) ([]*tracking.Volume, error) {
	if len(names) == 0 {
		return nil, nil
	}
	upper := make([]string, len(names))
	for i, n := range names {
		upper[i] = strings.ToUpper(n)
	}
	byBarcode, a1 := inList(db.dialect, "barcode", upper)
	byLegacy, a2 := inList(db.dialect, "legacy_barcode", names)
	return queryAll(db.runner(tx), func(scan scanFunc) (*tracking.Volume, error) {
		var v tracking.Volume
		var barcode, legacy *string
		err := scan(&v.ID, &barcode, &legacy)
		v.Barcode, v.LegacyCode = deref(barcode), deref(legacy)
		return &v, err
	}, "SELECT id, barcode, legacy_barcode FROM volumes WHERE "+byBarcode+" OR "+byLegacy, a1, a2)
}
