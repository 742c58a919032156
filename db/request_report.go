package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// FindRequestRecords reads the requests needed in [from, until) as the
// request report counts them.
func (db *DB) FindRequestRecords(ctx context.Context, from, until time.Time) ([]tracking.RequestRecord, error) {
	var rows []struct {
		LocationID  int64
		Status      string
		CreatedAt   time.Time
		NeededBy    time.Time
		FulfilledAt *time.Time
	}
	err := scan(db.gorm.WithContext(ctx).Raw(`SELECT location_id, status, created_at, needed_by, fulfilled_at
		FROM requests WHERE needed_by >= ? AND needed_by < ? ORDER BY id`, from.UTC(), until.UTC()), &rows)
	if err != nil {
		return nil, translate(err, "requests")
	}
	out := make([]tracking.RequestRecord, len(rows))
	for i, r := range rows {
		out[i] = tracking.RequestRecord{LocationID: r.LocationID, Status: tracking.RequestStatus(r.Status),
			CreatedAt: r.CreatedAt.UTC(), NeededBy: r.NeededBy.UTC(), FulfilledAt: r.FulfilledAt}
	}
	return out, nil
}
