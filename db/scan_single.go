package db

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/jackc/pgx/v5/pgconn"
)

// writeOneSQL is a single scan's writes on PostgreSQL as one statement,
// which PostgreSQL commits on its own: no BEGIN, no row lock taken ahead,
// no COMMIT, so a device's scan costs two round trips (finding the volume,
// then this) where a transaction would take five.
//
// It is optimistic. The movement was decided from the volume's state as
// the scan found it, so the update only touches the row while that state
// (place, since, last scan time, status) is unchanged and no open request
// has flagged the volume meanwhile (see 0020_requests.sql); a concurrent
// writer that got there first leaves it untouched. If that update or the claim on the
// scan id comes up short, casetrack_scan_conflict aborts the statement,
// nothing of it is kept, and the scan is taken again under row locks.
// Parameters are scalars, so PostgreSQL settles on one generic plan for
// the connection rather than planning the statement on every scan.
const writeOneSQL = `WITH claim AS (
	INSERT INTO scans (scan_id, attempted_scan_id, raw, code_kind, code_value, result, device, channel, by_name,
		location_id, volume_id, scanned_at, received_at, message, response)
	VALUES ($1::text, $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text,
		$9::int8, $10::int8, $11::timestamptz, $12::timestamptz, $13::text, $14::text)
	ON CONFLICT (scan_id) DO NOTHING RETURNING 1
), position AS (
	UPDATE volumes SET current_location_id = $15::int8, current_since = $16::timestamptz, last_scanned_at = $11::timestamptz
	WHERE id = $17::int8 AND current_location_id = $18::int8 AND current_since = $19::timestamptz
		AND last_scanned_at IS NOT DISTINCT FROM $20::timestamptz AND NOT requested
		AND status = $26::text
	RETURNING id
), move AS (
	INSERT INTO movements (volume_id, to_location_id, scanned_at, received_at, by_name, device, channel, scan_id)
	SELECT id, $21::int8, $11::timestamptz, $12::timestamptz, $8::text, $6::text, $7::text, $1::text FROM position
), read AS (
	INSERT INTO access_log (at, actor, role, action, patient_id, detail, actor_kind)
	SELECT $12::timestamptz, $8::text, $22::text, 'scan', $23::int8, $1::text, $25::text WHERE $23::int8 IS NOT NULL
)
SELECT CASE WHEN (SELECT count(*) FROM claim) = 1 AND (SELECT count(*) FROM position) = $24::int8
	THEN 1 ELSE casetrack_scan_conflict() END`

// conflictCode is the SQLSTATE casetrack_scan_conflict raises.
const conflictCode = "CT409"

// recordOne writes a lone scan with writeOneSQL. It reports false, with the
// record as it came, when the scan must go the locked way instead: one the
// rules cannot decide without the lock (see tracking.DecideAlone), or one
// that lost a race to a concurrent writer.
func (db *DB) recordOne(ctx context.Context, r *tracking.ScanRecord) (bool, error) {
	if db.dialect != Postgres || r.Repeat {
		return false, nil
	}
	base, effects := r.Result, r.Effects
	undo := func() { r.Result, r.Effects, r.Response = base, effects, nil }
	before, after, ok := tracking.DecideAlone(r)
	if !ok {
		undo()
		return false, nil
	}
	var one int
	err := db.gorm.Statement.ConnPool.QueryRowContext(ctx, writeOneSQL, oneScanArgs(r, before, after)...).Scan(&one)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == conflictCode {
		undo()
		return false, nil
	}
	if err != nil {
		undo()
		return false, fmt.Errorf("write scan: %w", err)
	}
	return true, nil
}

// oneScanArgs lays out writeOneSQL's parameters for a decided record: its
// volume's state as it was read (which must still hold) and as the scan
// leaves it.
func oneScanArgs(r *tracking.ScanRecord, before, after tracking.VolumeState) []any {
	var (
		newLoc, volID, oldLoc, to *int64
		newSince, oldSince        *time.Time
		oldLast                   *time.Time
		moving                    int64
		status                    *string
	)
	if r.Effects.Move {
		newLoc, newSince, volID, to = &after.CurrentID, &after.Since, &r.Volume.ID, &r.Target.ID
		oldLoc, oldSince, moving, status = &before.CurrentID, &before.Since, 1, new(string(r.Volume.Status))
		if !before.LastScanAt.IsZero() {
			oldLast = &before.LastScanAt
		}
	}
	var role *string
	var patient *int64
	if r.Effects.ReadPatientID != 0 {
		role, patient = new(string(r.Scan.Role)), &r.Effects.ReadPatientID
	}
	id := tracking.StorableText(r.Scan.ScanID)
	return []any{id, tracking.StorableText(r.Raw), string(r.Code.Kind), tracking.StorableText(r.Code.Value),
		string(r.Result.Result), tracking.StorableText(r.Scan.Device), r.Scan.Channel, r.Scan.By,
		locationIDOf(r.Result.Location), volumeIDOf(r.Result.Volume), r.Scan.ScannedAt.UTC(), r.ReceivedAt.UTC(),
		r.Result.Message, string(r.Response),
		newLoc, newSince, volID, oldLoc, oldSince, oldLast, to, role, patient, moving, string(r.Scan.ActorKind), status}
}
