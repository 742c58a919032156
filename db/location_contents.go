package db

import (
	"context"
	"strings"

	"github.com/casetrack/casetrack/tracking"
)

// subtree names, as the table "subtree", a location and every location
// inside it (children, grandchildren...), in one recursive query on both
// dialects. UNION ends a loop, though the service never makes one.
const subtree = `WITH RECURSIVE subtree(id) AS (
	SELECT id FROM locations WHERE id = ?
	UNION SELECT l.id FROM locations l JOIN subtree s ON l.parent_id = s.id) `

// FindLocationTree returns the location and every location inside it.
func (db *DB) FindLocationTree(ctx context.Context, id int64) ([]*tracking.Location, error) {
	var rows []locationView
	err := scan(db.gorm.WithContext(ctx).Raw(subtree+"SELECT "+locationColumns+
		" FROM subtree s JOIN locations l ON l.id = s.id LEFT JOIN locations p ON p.id = l.parent_id ORDER BY l.id", id), &rows)
	if err != nil {
		return nil, translate(err, "location")
	}
	out := make([]*tracking.Location, len(rows))
	for i := range rows {
		out[i] = rows[i].location()
	}
	return out, nil
}

// CountVolumesInside counts, by location and status, the volumes booked
// to the location or inside it: one index range of volumes by current
// location for each location of the subtree.
func (db *DB) CountVolumesInside(ctx context.Context, id int64) ([]tracking.VolumeCount, error) {
	var rows []struct {
		LocationID int64
		Status     string
		N          int
	}
	err := scan(db.gorm.WithContext(ctx).Raw(subtree+`SELECT v.current_location_id AS location_id, v.status, COUNT(*) AS n
		FROM subtree s JOIN volumes v ON v.current_location_id = s.id GROUP BY v.current_location_id, v.status`, id), &rows)
	if err != nil {
		return nil, translate(err, "volume")
	}
	out := make([]tracking.VolumeCount, len(rows))
	for i, r := range rows {
		out[i] = tracking.VolumeCount{LocationID: r.LocationID, Status: tracking.VolumeStatus(r.Status), N: r.N}
	}
	return out, nil
}

// FindVolumesInside lists volumes with one of the statuses booked to the
// location or inside it, by location code, then patient name.
func (db *DB) FindVolumesInside(ctx context.Context, id int64, statuses []tracking.VolumeStatus, limit int) ([]*tracking.Volume, error) {
	if len(statuses) == 0 || limit <= 0 {
		return nil, nil
	}
	args := []any{id}
	for _, st := range statuses {
		args = append(args, string(st))
	}
	args = append(args, limit)
	where := "WHERE v.current_location_id IN (" + subtree + "SELECT id FROM subtree) AND v.status IN (?" +
		strings.Repeat(", ?", len(statuses)-1) + ") ORDER BY c.code, p.family_name, p.given_name, v.number, v.id LIMIT ?"
	return db.findVolumes(ctx, where, args...)
}
