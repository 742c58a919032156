package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// FindMissing lists the missing volumes, each with when and by whom it was
// marked missing and the latest note of its search, and the temporary
// folder standing in for it.
func (db *DB) FindMissing(ctx context.Context) ([]*tracking.MissingVolume, error) {
	vols, ids, err := db.volumesWithStatus(ctx, tracking.StatusMissing)
	if err != nil || len(vols) == 0 {
		return nil, err
	}
	hist, err := db.FindStatusHistory(ctx, ids)
	if err != nil {
		return nil, err
	}
	temps, err := db.temporariesFor(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*tracking.MissingVolume, len(vols))
	for i, v := range vols {
		m := &tracking.MissingVolume{VolumeAt: tracking.Listed(v), Temporary: temps[v.ID]}
		for _, c := range hist[v.ID] {
			if c.Status == tracking.StatusMissing && c.From != tracking.StatusMissing {
				m.Since, m.By = c.At, c.By
			}
			if c.Status == tracking.StatusMissing {
				m.Note = c.Note
			}
		}
		out[i] = m
	}
	return out, nil
}

// volumesWithStatus reads the volumes with one of the statuses only some
// volumes have (missing, temporary: volumes_exceptions holds them), and
// their ids.
func (db *DB) volumesWithStatus(ctx context.Context, st tracking.VolumeStatus) ([]*tracking.Volume, []int64, error) {
	// Written out, not bound, so the planner can use the partial index
	// (the status is one of ours).
	vols, err := db.findVolumes(ctx, "WHERE v.status = '"+string(st)+"'")
	ids := make([]int64, len(vols))
	for i, v := range vols {
		ids[i] = v.ID
	}
	return vols, ids, err
}

// volumesAndLocations reads volumes and locations by id at once.
func (db *DB) volumesAndLocations(ctx context.Context, vids, lids []int64) (map[int64]*tracking.Volume, map[int64]*tracking.Location, error) {
	vols, err := db.findVolumesByIDs(ctx, vids)
	if err != nil {
		return nil, nil, err
	}
	locs, err := db.locationsByID(ctx, lids)
	return vols, locs, err
}

// temporariesFor gives, for each original, the barcode of a temporary
// folder in use standing in for it.
func (db *DB) temporariesFor(ctx context.Context, originals []int64) (map[int64]string, error) {
	where, arg := inList(db.dialect, "t.original_id", originals)
	var rows []struct {
		OriginalID int64
		Barcode    string
	}
	err := scan(db.gorm.WithContext(ctx).Raw(`SELECT t.original_id, v.barcode FROM temporary_volumes t
		JOIN volumes v ON v.id = t.volume_id WHERE v.status = 'temporary' AND `+where+` ORDER BY v.id`, arg), &rows)
	out := map[int64]string{}
	for _, r := range rows {
		out[r.OriginalID] = r.Barcode
	}
	return out, translate(err, "temporary folder")
}

// FindFound lists the volumes scans found since the time, newest first:
// all of them, or those marked missing by markedBy.
func (db *DB) FindFound(ctx context.Context, since time.Time, markedBy string) ([]*tracking.FoundVolume, error) {
	q := db.gorm.WithContext(ctx).Table("volume_status_history").
		Select("volume_id, at, by_name, location_id, notify").
		Where("scan_id IS NOT NULL AND at >= ?", since.UTC()).Order("at DESC, id DESC").Limit(500)
	if markedBy != "" {
		q = q.Where("notify = ?", markedBy)
	}
	var rows []statusRow
	if err := scan(q, &rows); err != nil {
		return nil, translate(err, "status history")
	}
	var vids, lids []int64
	for _, r := range rows {
		vids, lids = append(vids, r.VolumeID), append(lids, derefID(r.LocationID))
	}
	vols, locs, err := db.volumesAndLocations(ctx, vids, lids)
	if err != nil {
		return nil, err
	}
	out := make([]*tracking.FoundVolume, 0, len(rows))
	for _, r := range rows {
		v := vols[r.VolumeID]
		at := tracking.Listed(v)
		at.Location = locs[derefID(r.LocationID)]
		out = append(out, &tracking.FoundVolume{VolumeAt: at,
			At: tracking.TimestampOf(r.At), By: r.ByName, MarkedMissingBy: deref(r.Notify)})
	}
	return out, nil
}
