package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// awayStatuses are tracking.OverdueStatuses written into the queries.
const awayStatuses = `status IN ('active', 'closed', 'temporary')`

// awayFrom are the volumes at each location since before its cutoff: on
// PostgreSQL one index range per location (volumes_current_location is on
// place and arrival time) behind OFFSET 0, which keeps the plan to the
// index whatever the planner knows; on SQLite the same join over the
// cutoffs as JSONB.
var awayFrom = map[string]string{
	Postgres: `FROM (SELECT x.* FROM unnest(?::int8[], ?::timestamptz[]) AS c(loc, before) CROSS JOIN LATERAL
		(SELECT * FROM volumes WHERE current_location_id = c.loc AND current_since < c.before AND ` + awayStatuses + `
		OFFSET 0) x) v `,
	SQLite: `FROM (SELECT w.* FROM jsonb_each(?) c JOIN volumes w INDEXED BY volumes_current_location
		ON w.current_location_id = c.value->>0 AND w.current_since < c.value->>1 WHERE w.` + awayStatuses + `) v `,
}

// bookedBy is who made each volume's movement that brought it where it is
// (its scan time is the volume's arrival there).
var bookedBy = map[string]string{
	Postgres: `SELECT k.id, m.by_name FROM unnest(?::int8[], ?::timestamptz[], ?::int8[]) AS k(id, since, loc)
		CROSS JOIN LATERAL (SELECT by_name FROM movements WHERE volume_id = k.id AND scanned_at = k.since
		AND to_location_id = k.loc ORDER BY id LIMIT 1) m`,
	SQLite: `SELECT c.value->>0 AS id, (SELECT by_name FROM movements WHERE volume_id = c.value->>0
		AND scanned_at = c.value->>1 AND to_location_id = c.value->>2 ORDER BY id LIMIT 1) AS by_name FROM jsonb_each(?) c`,
}

// FindAway returns the volumes at each cutoff's location since before it,
// with who booked each there.
func (db *DB) FindAway(ctx context.Context, cutoffs []tracking.AwayCutoff) ([]*tracking.AwayVolume, error) {
	var vols []*tracking.Volume
	var err error
	if db.dialect == Postgres {
		locs, befores := make([]int64, len(cutoffs)), make([]time.Time, len(cutoffs))
		for i, c := range cutoffs {
			locs[i], befores[i] = c.LocationID, c.Before.UTC()
		}
		vols, err = db.findVolumesFrom(ctx, awayFrom[Postgres], "", intArray(locs), timeArray(befores))
	} else {
		rows := newSQLiteRows(40 * len(cutoffs))
		for _, c := range cutoffs {
			rows.row().int(c.LocationID).time(c.Before.UTC())
		}
		vols, err = db.findVolumesFrom(ctx, awayFrom[SQLite], "", rows.jsonb())
	}
	if err != nil {
		return nil, err
	}
	by, err := db.bookedBy(ctx, vols)
	if err != nil {
		return nil, err
	}
	out := make([]*tracking.AwayVolume, len(vols))
	for i, v := range vols {
		out[i] = &tracking.AwayVolume{Volume: v, BookedBy: by[v.ID]}
	}
	return out, nil
}

// bookedBy finds who brought each volume where it is.
func (db *DB) bookedBy(ctx context.Context, vols []*tracking.Volume) (map[int64]string, error) {
	out := make(map[int64]string, len(vols))
	if len(vols) == 0 {
		return out, nil
	}
	var args []any
	if db.dialect == Postgres {
		ids, since, locs := make([]int64, len(vols)), make([]time.Time, len(vols)), make([]int64, len(vols))
		for i, v := range vols {
			ids[i], since[i], locs[i] = v.ID, v.Since.UTC(), v.CurrentID
		}
		args = []any{intArray(ids), timeArray(since), intArray(locs)}
	} else {
		rows := newSQLiteRows(48 * len(vols))
		for _, v := range vols {
			rows.row().int(v.ID).time(v.Since.UTC()).int(v.CurrentID)
		}
		args = []any{rows.jsonb()}
	}
	rows, err := db.gorm.Statement.ConnPool.QueryContext(ctx, db.rebind(bookedBy[db.dialect]), args...)
	if err != nil {
		return nil, translate(err, "movement")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var by *string
		if err := rows.Scan(&id, &by); err != nil {
			return nil, translate(err, "movement")
		}
		out[id] = deref(by)
	}
	return out, translate(rows.Err(), "movement")
}
