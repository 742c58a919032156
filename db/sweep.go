package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// sweepView is a sweeps row.
type sweepView struct {
	ID         int64
	LocationID int64
	StartedAt  time.Time
	StartedBy  string
	FinishedAt *time.Time
	FinishedBy *string
}

func (r *sweepView) sweep(l *tracking.Location) *tracking.Sweep {
	sw := &tracking.Sweep{ID: tracking.SweepID(r.ID), Location: l, Status: tracking.SweepOpen,
		StartedAt: tracking.TimestampOf(r.StartedAt), StartedBy: r.StartedBy, FinishedBy: deref(r.FinishedBy)}
	if r.FinishedAt != nil {
		at := tracking.TimestampOf(*r.FinishedAt)
		sw.Status, sw.FinishedAt = tracking.SweepFinished, &at
	}
	return sw
}

// CreateSweep stores a new open sweep.
func (db *DB) CreateSweep(ctx context.Context, sw *tracking.Sweep) error {
	var id int64
	err := scan(db.gorm.WithContext(ctx).Raw(`INSERT INTO sweeps (location_id, started_at, started_by) VALUES (?, ?, ?)
		RETURNING id`, sw.Location.ID, sw.StartedAt.UTC(), sw.StartedBy), &id)
	sw.ID = tracking.SweepID(id)
	return translate(err, "sweep")
}

// FindSweep reads a sweep and its location.
func (db *DB) FindSweep(ctx context.Context, id tracking.SweepID) (*tracking.Sweep, error) {
	sws, err := db.findSweeps(ctx, db.gorm.WithContext(ctx).Where("id = ?", int64(id)))
	if err != nil {
		return nil, err
	}
	if len(sws) == 0 {
		return nil, tracking.Errorf(tracking.ENOTFOUND, "There is no sweep %d.", id)
	}
	return sws[0], nil
}

// FindSweeps lists sweeps newest first.
func (db *DB) FindSweeps(ctx context.Context, f tracking.SweepFilter) ([]*tracking.Sweep, error) {
	q := db.gorm.WithContext(ctx).Order("id DESC")
	switch f.Status {
	case tracking.SweepOpen:
		q = q.Where("finished_at IS NULL")
	case tracking.SweepFinished:
		q = q.Where("finished_at IS NOT NULL")
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	return db.findSweeps(ctx, q)
}

func (db *DB) findSweeps(ctx context.Context, q *gorm.DB) ([]*tracking.Sweep, error) {
	var rows []sweepView
	if err := q.Table("sweeps").Find(&rows).Error; err != nil {
		return nil, translate(err, "sweep")
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.LocationID
	}
	locs, err := db.locationsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*tracking.Sweep, len(rows))
	for i := range rows {
		out[i] = rows[i].sweep(locs[rows[i].LocationID])
	}
	return out, nil
}

// CountSweep counts an open sweep's scans: distinct volumes seen, those
// corrected, and barcodes that named nothing.
func (db *DB) CountSweep(ctx context.Context, id tracking.SweepID) (tracking.SweepCounts, error) {
	var c struct{ Seen, Corrected, Unknown int }
	err := scan(db.gorm.WithContext(ctx).Raw(`SELECT count(DISTINCT volume_id) AS seen,
		count(DISTINCT CASE WHEN was_at_id IS NOT NULL THEN volume_id END) AS corrected,
		count(CASE WHEN volume_id IS NULL THEN 1 END) AS unknown FROM sweep_scans WHERE sweep_id = ?`, int64(id)), &c)
	return tracking.SweepCounts{Seen: c.Seen, Corrected: c.Corrected, Unknown: c.Unknown}, translate(err, "sweep")
}

// sweepScanRow is what a sweep's scan saw, kept beside the scan.
type sweepScanRow struct {
	SweepID    int64
	ScanID     string
	VolumeID   *int64
	WasAtID    *int64
	Result     string
	Raw        string
	Device     string
	ScannedAt  time.Time
	ReceivedAt time.Time
	Seq        int
}

func (sweepScanRow) TableName() string { return "sweep_scans" }

// sweepScanOf is the row a claimed sweep scan keeps, and false for one
// the sweep does not count (a location scan, an ambiguous number).
func sweepScanOf(r *tracking.ScanRecord) (sweepScanRow, bool) {
	row := sweepScanRow{SweepID: int64(r.Effects.Sweep.ID), ScanID: tracking.StorableText(r.Scan.ScanID),
		Result: string(r.Result.Result), Raw: tracking.StorableText(r.Raw), Device: tracking.StorableText(r.Scan.Device),
		ScannedAt: r.Scan.ScannedAt.UTC(), ReceivedAt: r.ReceivedAt.UTC(), Seq: r.Effects.Sighting.Seq}
	switch {
	case r.Effects.Sighting.Seen:
		row.VolumeID = &r.Volume.ID
		if w := r.Effects.Sighting.WasAt; w != 0 {
			row.WasAtID = &w
		}
	case r.Result.Result != tracking.ResultUnknown && r.Result.Result != tracking.ResultRejected:
		return row, false
	}
	return row, true
}

// writeSweepScans keeps what the chunk's sweep scans saw, for the sweeps
// still open: each such sweep's row is share-locked first, so a sweep
// being finished waits for the chunk (and its report counts these scans),
// and a chunk that comes after the finish adds nothing to it. A chunk
// with no sweep scans writes nothing.
func (w *chunkWriter) writeSweepScans() error {
	var rows []sweepScanRow
	var sweeps []int64
	for _, r := range w.decision.Claimed() {
		if r.Effects.Sweep == nil {
			continue
		}
		if row, ok := sweepScanOf(r); ok {
			rows = append(rows, row)
			sweeps = append(sweeps, row.SweepID)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	open, err := w.lockOpenSweeps(sweeps)
	if err != nil {
		return err
	}
	kept := rows[:0]
	for _, r := range rows {
		if open[r.SweepID] {
			kept = append(kept, r)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	return w.tx.CreateInBatches(kept, 500).Error
}

// lockOpenSweeps share-locks the sweeps and says which are still open.
func (w *chunkWriter) lockOpenSweeps(ids []int64) (map[int64]bool, error) {
	where, arg := inList(w.dialect, "id", ids)
	q := "SELECT id FROM sweeps WHERE finished_at IS NULL AND " + where
	if w.dialect == Postgres {
		q += " FOR SHARE"
	}
	var open []int64
	if err := scan(w.tx.Raw(q, arg), &open); err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for _, id := range open {
		out[id] = true
	}
	return out, nil
}
