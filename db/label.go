package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

type printRow struct {
	ID        int64
	At        time.Time
	Actor     string
	Printer   string
	Format    string
	Barcode   string
	PatientID *int64
	Copy      int
}

func (printRow) TableName() string { return "print_log" }

// LogPrints appends print records, numbering each barcode's copies. The
// count and the insert share a transaction; two clerks reprinting the same
// label at the same moment may both see copy n, which only undercounts a
// reprint and never loses one.
func (db *DB) LogPrints(ctx context.Context, recs []*tracking.PrintRecord) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		for _, r := range recs {
			var n int
			if err := scan(tx.Raw("SELECT COALESCE(MAX(copy), 0) FROM print_log WHERE barcode = ?", r.Barcode), &n); err != nil {
				return err
			}
			r.Copy = n + 1
			row := printRow{At: r.At.UTC(), Actor: r.Actor, Printer: r.Printer, Format: r.Format, Barcode: r.Barcode,
				PatientID: nullableID(r.PatientID), Copy: r.Copy}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
		}
		return nil
	})
	return translate(err, "print log entry")
}

// FindVolumesCreatedSince lists volumes created at or after since, oldest
// first: the labels of the day's new registrations.
func (db *DB) FindVolumesCreatedSince(ctx context.Context, since time.Time, limit int) ([]*tracking.Volume, error) {
	return db.findVolumes(ctx, "WHERE v.created_at >= ? ORDER BY v.created_at, v.id LIMIT ?", since.UTC(), limit)
}

// SameNamePatients reports which patients share their family and given
// name with another patient.
func (db *DB) SameNamePatients(ctx context.Context, patientIDs []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(patientIDs) == 0 {
		return out, nil
	}
	var ids []int64
	err := scan(db.gorm.WithContext(ctx).Raw(`SELECT p.id FROM patients p WHERE p.id IN ? AND EXISTS (
		SELECT 1 FROM patients q WHERE q.id <> p.id AND q.family_fold = p.family_fold
		AND q.given_fold = p.given_fold)`, patientIDs), &ids)
	for _, id := range ids {
		out[id] = true
	}
	return out, translate(err, "patient")
}
