package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CreateTemporaryVolume adds a temporary volume as CreateVolume adds any
// volume, with what it stands in for and its first status entry, in the
// same transaction.
func (db *DB) CreateTemporaryVolume(ctx context.Context, v *tracking.Volume, t tracking.Temporary) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := addVolume(tx, v); err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO temporary_volumes (volume_id, original_id, due_on) VALUES (?, ?, ?)`,
			v.ID, nullableID(t.OriginalID), t.Due.Time).Error; err != nil {
			return err
		}
		row := changeRow(v.ID, t.Change)
		return tx.Create(&row).Error
	})
	return translate(err, "volume with this legacy barcode")
}

// temporaryView is a temporary_volumes row with the barcodes it links.
type temporaryView struct {
	VolumeID          int64
	OriginalID        *int64
	Original          *string
	DueOn             time.Time
	AmalgamatedIntoID *int64
	IntoBarcode       *string
}

func (r *temporaryView) temporary() *tracking.Temporary {
	return &tracking.Temporary{OriginalID: derefID(r.OriginalID), Original: deref(r.Original),
		Due: tracking.DateOf(r.DueOn.UTC()), IntoID: derefID(r.AmalgamatedIntoID), Into: deref(r.IntoBarcode)}
}

const temporaryColumns = `SELECT t.volume_id, t.original_id, o.barcode AS original, t.due_on, t.amalgamated_into_id,
	i.barcode AS into_barcode FROM temporary_volumes t LEFT JOIN volumes o ON o.id = t.original_id
	LEFT JOIN volumes i ON i.id = t.amalgamated_into_id `

// FindTemporary reads what a temporary volume stands in for.
func (db *DB) FindTemporary(ctx context.Context, volumeID int64) (*tracking.Temporary, error) {
	var rows []temporaryView
	if err := scan(db.gorm.WithContext(ctx).Raw(temporaryColumns+"WHERE t.volume_id = ?", volumeID), &rows); err != nil {
		return nil, translate(err, "temporary folder")
	}
	if len(rows) == 0 {
		return nil, tracking.Errorf(tracking.ENOTFOUND, "The volume is not a temporary folder.")
	}
	return rows[0].temporary(), nil
}

// AmalgamateVolume closes the temporary volume into the other: both rows
// are locked (in id order, after their patient) and must still have the
// statuses they were read with. Open requests no longer wait for the
// temporary folder (see statusTx).
func (db *DB) AmalgamateVolume(ctx context.Context, from, into *tracking.Volume, c tracking.StatusChange) error {
	err := db.statusTx(ctx, from.PatientID, c.By, c.At.Time, func(tx *gorm.DB) error {
		if err := checkStatuses(tx, from, into); err != nil {
			return err
		}
		if err := tx.Exec("UPDATE volumes SET status = ? WHERE id = ?", string(tracking.StatusAmalgamated), from.ID).Error; err != nil {
			return err
		}
		err := tx.Exec(`INSERT INTO temporary_volumes (volume_id, due_on, amalgamated_into_id) VALUES (?, ?, ?)
			ON CONFLICT (volume_id) DO UPDATE SET amalgamated_into_id = excluded.amalgamated_into_id`,
			from.ID, tracking.DateOf(c.At.Time).Time, into.ID).Error
		if err != nil {
			return err
		}
		row := changeRow(from.ID, c)
		return tx.Create(&row).Error
	})
	return translate(err, "volume")
}

// checkStatuses locks the volumes and makes sure each still has the status
// it was read with.
func checkStatuses(tx *gorm.DB, vs ...*tracking.Volume) error {
	var rows []struct {
		ID     int64
		Status string
	}
	ids := make([]int64, len(vs))
	for i, v := range vs {
		ids[i] = v.ID
	}
	q := tx.Table("volumes").Select("id, status").Where("id IN ?", ids).Order("id").Clauses(clause.Locking{Strength: "UPDATE"})
	if err := q.Find(&rows).Error; err != nil {
		return err
	}
	for _, v := range vs {
		for _, r := range rows {
			if r.ID == v.ID && r.Status != string(v.Status) {
				return tracking.Errorf(tracking.ECONFLICT, "Volume %s changed meanwhile (it is now %s): look again.", v.Barcode, r.Status)
			}
		}
	}
	return nil
}

// FindTemporaries lists the temporary volumes still in use, with what
// each stands in for. One made by a status change alone, before temporary
// folders were linked, is due four weeks after it was made.
func (db *DB) FindTemporaries(ctx context.Context) ([]*tracking.TemporaryVolume, error) {
	vols, ids, err := db.volumesWithStatus(ctx, tracking.StatusTemporary)
	if err != nil || len(vols) == 0 {
		return nil, err
	}
	where, arg := inList(db.dialect, "t.volume_id", ids)
	var rows []temporaryView
	if err := scan(db.gorm.WithContext(ctx).Raw(temporaryColumns+"WHERE "+where, arg), &rows); err != nil {
		return nil, translate(err, "temporary folder")
	}
	links := map[int64]*temporaryView{}
	for i := range rows {
		links[rows[i].VolumeID] = &rows[i]
	}
	out := make([]*tracking.TemporaryVolume, len(vols))
	for i, v := range vols {
		t := &tracking.TemporaryVolume{VolumeAt: tracking.Listed(v),
			Due: tracking.DateOf(v.CreatedAt.Add(tracking.TemporaryDue))}
		if l := links[v.ID]; l != nil {
			t.Original, t.Due = deref(l.Original), tracking.DateOf(l.DueOn.UTC())
		}
		out[i] = t
	}
	return out, nil
}
