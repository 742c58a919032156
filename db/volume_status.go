package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// statusRow is a row of volume_status_history.
type statusRow struct {
	VolumeID   int64
	Status     string
	FromStatus string
	Note       string
	ByName     string
	At         time.Time
	ScanID     *string
	LocationID *int64
	Notify     *string
}

func (statusRow) TableName() string { return "volume_status_history" }

func (r *statusRow) change() *tracking.StatusChange {
	return &tracking.StatusChange{Status: tracking.VolumeStatus(r.Status), From: tracking.VolumeStatus(r.FromStatus),
		Note: r.Note, By: r.ByName, At: tracking.TimestampOf(r.At)}
}

func changeRow(volumeID int64, c tracking.StatusChange) statusRow {
	return statusRow{VolumeID: volumeID, Status: string(c.Status), FromStatus: string(c.From), Note: c.Note,
		ByName: c.By, At: c.At.UTC()}
}

// UpdateVolume applies a change to a volume's record: a new status, with
// its entry in the status history, checked against the status the
// service decided from (ECONFLICT when another change came first); a new
// review date; a destruction proposed or done, checked against the
// retention the service decided on. A volume becoming temporary gets its
// due date. The patient's open requests are settled again in the same
// transaction (see statusTx).
func (db *DB) UpdateVolume(ctx context.Context, id int64, upd tracking.VolumeUpdate) error {
	if upd.Status == nil && upd.RetainUntil.Action == tracking.KeepValue && upd.Propose == nil {
		return nil
	}
	patientID, err := db.patientOf(ctx, id)
	if err != nil {
		return translate(err, "volume")
	}
	var c tracking.StatusChange
	by, at := upd.By, upd.At
	if upd.Status != nil {
		c = tracking.StatusChange{Status: *upd.Status, At: tracking.TimestampOf(time.Now())}
		if upd.Change != nil {
			c = *upd.Change
		}
		by, at = c.By, c.At.Time
	}
	err = db.statusTx(ctx, patientID, by, at, func(tx *gorm.DB) error {
		from, err := lockStatus(tx, id, patientID)
		if err != nil {
			return err
		}
		if upd.Retention != nil {
			if err := checkRetentionUnchanged(tx, db.dialect, id, upd.Retention); err != nil {
				return err
			}
		}
		if err := writeRetention(tx, id, upd); err != nil {
			return err
		}
		if upd.Status == nil {
			return nil
		}
		if upd.Change == nil {
			c.From = from
		}
		if c.From != from {
			return tracking.Errorf(tracking.ECONFLICT, "The volume's status changed meanwhile (it is now %s): look again before changing it.", from)
		}
		if err := tx.Exec("UPDATE volumes SET status = ? WHERE id = ?", string(c.Status), id).Error; err != nil {
			return err
		}
		row := changeRow(id, c)
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if c.Status != tracking.StatusTemporary {
			return nil
		}
		return tx.Exec(`INSERT INTO temporary_volumes (volume_id, due_on) VALUES (?, ?) ON CONFLICT (volume_id) DO NOTHING`,
			id, tracking.DateOf(c.At.Add(tracking.TemporaryDue)).Time).Error
	})
	return translate(err, "volume")
}

// lockStatus reads the status of a volume of the patient and locks its
// row (SQLite's write transaction holds the whole database); a volume
// that became another patient's meanwhile is ECONFLICT.
func lockStatus(tx *gorm.DB, id, patientID int64) (tracking.VolumeStatus, error) {
	var st []string
	q := tx.Table("volumes").Where("id = ? AND patient_id = ?", id, patientID).Clauses(clause.Locking{Strength: "UPDATE"})
	if err := q.Pluck("status", &st).Error; err != nil {
		return "", err
	}
	if len(st) == 0 {
		return "", tracking.Errorf(tracking.ECONFLICT, "The volume changed meanwhile (its patient's records were merged): look again before changing it.")
	}
	return tracking.VolumeStatus(st[0]), nil
}

// FindStatusHistory reads the status histories of the volumes, oldest
// entry first.
func (db *DB) FindStatusHistory(ctx context.Context, ids []int64) (map[int64][]*tracking.StatusChange, error) {
	where, arg := inList(db.dialect, "volume_id", ids)
	var rows []statusRow
	if err := scan(db.gorm.WithContext(ctx).Raw(`SELECT volume_id, status, from_status, note, by_name, at
		FROM volume_status_history WHERE `+where+` ORDER BY volume_id, id`, arg), &rows); err != nil {
		return nil, translate(err, "status history")
	}
	out := make(map[int64][]*tracking.StatusChange, len(ids))
	for i := range rows {
		out[rows[i].VolumeID] = append(out[rows[i].VolumeID], rows[i].change())
	}
	return out, nil
}

// findVolumesByIDs reads volumes by id, in no particular order; on
// PostgreSQL one index look-up each, whatever the planner knows (see
// volumesByCodes).
func (db *DB) findVolumesByIDs(ctx context.Context, ids []int64) (map[int64]*tracking.Volume, error) {
	out := make(map[int64]*tracking.Volume, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var vs []*tracking.Volume
	var err error
	if db.dialect == Postgres {
		vs, err = db.findVolumesFrom(ctx, `FROM (SELECT x.* FROM unnest(?::int8[]) AS k(id) CROSS JOIN LATERAL
			(SELECT * FROM volumes WHERE id = k.id OFFSET 0) x) v `, "", intArray(ids))
	} else {
		where, arg := inList(db.dialect, "v.id", ids)
		vs, err = db.findVolumes(ctx, "WHERE "+where, arg)
	}
	for _, v := range vs {
		out[v.ID] = v
	}
	return out, err
}

// locationsByID reads locations by id.
func (db *DB) locationsByID(ctx context.Context, ids []int64) (map[int64]*tracking.Location, error) {
	out := map[int64]*tracking.Location{}
	if len(ids) == 0 {
		return out, nil
	}
	where, arg := inList(db.dialect, "l.id", ids)
	var rows []locationView
	if err := scan(db.gorm.WithContext(ctx).Raw("SELECT "+locationColumns+
		" FROM locations l LEFT JOIN locations p ON p.id = l.parent_id WHERE "+where, arg), &rows); err != nil {
		return nil, translate(err, "location")
	}
	for i := range rows {
		out[rows[i].ID] = rows[i].location()
	}
	return out, nil
}

// writeFound ends the search for each missing volume the chunk found: it
// is active again, and its history says who found it where, naming
// whoever marked it missing (see FindFound). A chunk that found nothing
// writes nothing.
func (w *chunkWriter) writeFound() error {
	for _, r := range w.decision.Claimed() {
		if !r.Effects.Found {
			continue
		}
		if err := w.tx.Exec("UPDATE volumes SET status = ? WHERE id = ?", string(tracking.StatusActive), r.Volume.ID).Error; err != nil {
			return err
		}
		err := w.tx.Exec(`INSERT INTO volume_status_history (volume_id, status, from_status, note, by_name, at, scan_id,
			location_id, notify) VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT by_name FROM volume_status_history
			WHERE volume_id = ? AND status = ? ORDER BY id DESC LIMIT 1))`,
			r.Volume.ID, string(tracking.StatusActive), string(tracking.StatusMissing), tracking.FoundNote(r), r.Scan.By,
			r.ReceivedAt.UTC(), r.Scan.ScanID, r.Target.ID, r.Volume.ID, string(tracking.StatusMissing)).Error
		if err != nil {
			return err
		}
	}
	return nil
}
