package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// sweepResultRow is one volume's kept outcome of a finished sweep.
type sweepResultRow struct {
	SweepID  int64
	Seq      int
	VolumeID int64
	Outcome  string
	WasAtID  *int64
	Device   string
}

func (sweepResultRow) TableName() string { return "sweep_results" }

// FinishSweep closes an open sweep and keeps each volume's outcome, as
// tracking.ReconcileSweep decides it, in one transaction. The sweep's row
// is locked first: scans of it in flight hold it shared (see
// writeSweepScans), so the outcome counts every scan acknowledged before
// the finish, and none after it.
func (db *DB) FinishSweep(ctx context.Context, id tracking.SweepID, at time.Time, by string) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		sw, err := lockSweep(tx, db.dialect, id)
		if err != nil {
			return err
		}
		sightings, err := sweepSightings(tx, id)
		if err != nil {
			return err
		}
		recorded, err := db.recordedInside(tx, sw.LocationID)
		if err != nil {
			return err
		}
		results := tracking.ReconcileSweep(sw.StartedAt.UTC(), sightings, recorded)
		rows := make([]sweepResultRow, len(results))
		for i, r := range results {
			rows[i] = sweepResultRow{SweepID: int64(id), Seq: r.Seq, VolumeID: r.VolumeID, Outcome: r.Outcome,
				WasAtID: nullableID(r.WasAt), Device: r.Device}
		}
		if len(rows) > 0 {
			if err := tx.CreateInBatches(rows, 1000).Error; err != nil {
				return err
			}
		}
		return tx.Exec("UPDATE sweeps SET finished_at = ?, finished_by = ? WHERE id = ?", at.UTC(), by, int64(id)).Error
	})
	return translate(err, "sweep")
}

// lockSweep locks an open sweep's row: ENOTFOUND for no sweep, ECONFLICT
// for one finished already.
func lockSweep(tx *gorm.DB, dialect string, id tracking.SweepID) (*sweepView, error) {
	q := "SELECT id, location_id, started_at, started_by, finished_at, finished_by FROM sweeps WHERE id = ?"
	if dialect == Postgres {
		q += " FOR UPDATE"
	}
	var rows []sweepView
	if err := scan(tx.Raw(q, int64(id)), &rows); err != nil {
		return nil, err
	}
	switch {
	case len(rows) == 0:
		return nil, tracking.Errorf(tracking.ENOTFOUND, "There is no sweep %d.", id)
	case rows[0].FinishedAt != nil:
		return nil, tracking.Errorf(tracking.ECONFLICT, "Sweep %d was finished at %s by %s.", id,
			tracking.TimestampOf(*rows[0].FinishedAt).Format(), deref(rows[0].FinishedBy))
	}
	return &rows[0], nil
}

// sweepSightings are the volumes the sweep's scans saw, in the order they
// were made: by scan time, then (for a batch that gave its scans one time)
// by arrival and place in the request; the order they were stored in is
// not it, as a batch's chunks are stored side by side.
func sweepSightings(tx *gorm.DB, id tracking.SweepID) ([]tracking.SweepSighting, error) {
	var rows []struct {
		VolumeID int64
		WasAtID  *int64
		Device   string
	}
	err := scan(tx.Raw(`SELECT volume_id, was_at_id, device FROM sweep_scans WHERE sweep_id = ? AND volume_id IS NOT NULL
		ORDER BY scanned_at, received_at, seq, id`, int64(id)), &rows)
	out := make([]tracking.SweepSighting, len(rows))
	for i, r := range rows {
		out[i] = tracking.SweepSighting{VolumeID: r.VolumeID, WasAt: derefID(r.WasAtID), Device: r.Device}
	}
	return out, err
}

// recordedInside are the volumes recorded at the location or inside it,
// other than destroyed and amalgamated ones; on PostgreSQL an index range
// per location, as for overdue notes.
func (db *DB) recordedInside(tx *gorm.DB, locationID int64) ([]tracking.RecordedVolume, error) {
	var locs []int64
	if err := scan(tx.Raw(`WITH RECURSIVE inside(id) AS (SELECT CAST(? AS BIGINT)
		UNION SELECT l.id FROM locations l JOIN inside i ON l.parent_id = i.id) SELECT id FROM inside`, locationID), &locs); err != nil {
		return nil, err
	}
	var q *gorm.DB
	const cols = "id, current_since, last_scanned_at"
	const live = "status NOT IN ('destroyed', 'amalgamated')"
	if db.dialect == Postgres {
		q = tx.Raw(`SELECT v.* FROM unnest(?::int8[]) AS k(loc) CROSS JOIN LATERAL (SELECT `+cols+` FROM volumes
			WHERE current_location_id = k.loc AND `+live+` OFFSET 0) v`, intArray(locs))
	} else {
		where, arg := inList(db.dialect, "current_location_id", locs)
		q = tx.Raw("SELECT "+cols+" FROM volumes WHERE "+live+" AND "+where, arg)
	}
	var rows []struct {
		ID            int64
		CurrentSince  time.Time
		LastScannedAt *time.Time
	}
	if err := scan(q, &rows); err != nil {
		return nil, err
	}
	out := make([]tracking.RecordedVolume, len(rows))
	for i, r := range rows {
		out[i] = tracking.RecordedVolume{VolumeID: r.ID, Since: r.CurrentSince.UTC()}
		if r.LastScannedAt != nil {
			out[i].LastScanAt = r.LastScannedAt.UTC()
		}
	}
	return out, nil
}

// FindSweepResults reads a sweep with, once it is finished, each volume's
// kept outcome (the volume as it is now) and the raw text of its scans
// that named nothing.
func (db *DB) FindSweepResults(ctx context.Context, id tracking.SweepID) (*tracking.SweepResults, error) {
	sw, err := db.FindSweep(ctx, id)
	if err != nil || sw.Status != tracking.SweepFinished {
		return &tracking.SweepResults{Sweep: sw}, err
	}
	var rows []sweepResultRow
	if err := scan(db.gorm.WithContext(ctx).Raw(`SELECT sweep_id, seq, volume_id, outcome, was_at_id, device FROM sweep_results
		WHERE sweep_id = ? ORDER BY seq`, int64(id)), &rows); err != nil {
		return nil, translate(err, "sweep")
	}
	var vids, lids []int64
	for _, r := range rows {
		vids, lids = append(vids, r.VolumeID), append(lids, derefID(r.WasAtID))
	}
	vols, locs, err := db.volumesAndLocations(ctx, vids, lids)
	if err != nil {
		return nil, err
	}
	res := &tracking.SweepResults{Sweep: sw, Entries: make([]tracking.SweepEntry, len(rows))}
	for i, r := range rows {
		res.Entries[i] = tracking.SweepEntry{Volume: vols[r.VolumeID], Outcome: r.Outcome, WasAt: locs[derefID(r.WasAtID)],
			Device: r.Device}
	}
	err = scan(db.gorm.WithContext(ctx).Raw(`SELECT raw FROM sweep_scans WHERE sweep_id = ? AND volume_id IS NULL
		ORDER BY scanned_at, received_at, seq, id`, int64(id)), &res.Unknown)
	return res, translate(err, "sweep")
}
