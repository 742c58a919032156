package db

import (
	"fmt"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// The chunk writer is the tracking.History of the chunk it writes: it
// reads a volume's movements and the locations no record carries through
// the transaction that holds the chunk's volumes.
var _ tracking.History = (*chunkWriter)(nil)

// LatestStep reads the volume's latest movement scanned at or before at.
func (w *chunkWriter) LatestStep(volumeID int64, at time.Time) (tracking.Step, bool, error) {
	var rows []struct {
		ID           int64
		ScannedAt    time.Time
		ToLocationID int64
	}
	err := scan(w.tx.Raw(`SELECT id, scanned_at, to_location_id FROM movements WHERE volume_id = ? AND scanned_at <= ?
		ORDER BY scanned_at DESC, id DESC LIMIT 1`, volumeID, at.UTC()), &rows)
	if err != nil || len(rows) == 0 {
		return tracking.Step{}, false, err
	}
	r := rows[0]
	return tracking.Step{At: r.ScannedAt.UTC(), To: r.ToLocationID, Seq: r.ID}, true, nil
}

// sincePage is how many movements StepsBefore reads at a time, newest
// first: the run of movements that ends where a volume is now is nearly
// always short, while its whole history may be years long.
const sincePage = 32

// StepsBefore reads a page of the volume's movements older than after.
func (w *chunkWriter) StepsBefore(volumeID int64, after tracking.Step) ([]tracking.Step, bool, error) {
	var rows []struct {
		ID           int64
		ScannedAt    time.Time
		ToLocationID int64
	}
	q := w.tx.Raw(`SELECT id, scanned_at, to_location_id FROM movements WHERE volume_id = ?
		ORDER BY scanned_at DESC, id DESC LIMIT ?`, volumeID, sincePage)
	if after.Seq != 0 {
		q = w.tx.Raw(`SELECT id, scanned_at, to_location_id FROM movements
			WHERE volume_id = ? AND (scanned_at, id) < (?, ?)
			ORDER BY scanned_at DESC, id DESC LIMIT ?`, volumeID, after.At.UTC(), after.Seq, sincePage)
	}
	if err := scan(q, &rows); err != nil {
		return nil, false, err
	}
	steps := make([]tracking.Step, len(rows))
	for i, r := range rows {
		steps[i] = tracking.Step{At: r.ScannedAt.UTC(), To: r.ToLocationID, Seq: r.ID}
	}
	return steps, len(rows) == sincePage, nil
}

// Location returns a location the chunk's records carry, or reads it.
func (w *chunkWriter) Location(id int64) (*tracking.Location, error) {
	if l := w.locs[id]; l != nil {
		return l, nil
	}
	var rows []locationView
	err := scan(w.tx.Raw("SELECT "+locationColumns+" FROM locations l LEFT JOIN locations p ON p.id = l.parent_id WHERE l.id = ?", id), &rows)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("location %d vanished", id)
	}
	l := rows[0].location()
	w.locs[id] = l
	return l, nil
}
