package db

import (
	"github.com/casetrack/casetrack/tracking"
)

// insert writes the chunk's claimed scans with the effects every chunk
// may have: their movements, the volumes' new states and the access-log
// entries of the patients their answers show. On PostgreSQL it is one
// statement; SQLite, which allows no writes inside WITH, takes four.
// Either way a scan id stored meanwhile by another transaction shows as a
// short claim and the chunk is taken again.
func (w *chunkWriter) insert() error {
	claimed := w.decision.Claimed()
	if len(claimed) == 0 {
		return nil
	}
	if w.dialect == Postgres {
		return w.insertPostgres(w.tx.Statement.Context, claimed)
	}
	return w.insertSQLite(claimed)
}

// writeEffects writes the claimed records' other effects, a statement (or
// a few) for each kind: insert holds the ones nearly every scan has. A new
// kind of tracking.Effects adds its writer here.
func (w *chunkWriter) writeEffects() error {
	for _, write := range []func(*chunkWriter) error{
		(*chunkWriter).setDeviceContexts,
		(*chunkWriter).writeRequests,
		(*chunkWriter).writeFound,
		(*chunkWriter).writeSweepScans,
	} {
		if err := write(w); err != nil {
			return err
		}
	}
	return nil
}

// The SQLite statements of a chunk, in both shapes (see sqliteRows).
var (
	sqliteInsertScans = sqliteWrite{
		table: "scans",
		one: `INSERT INTO scans (scan_id, attempted_scan_id, raw, code_kind, code_value, result, device, channel,
			by_name, location_id, volume_id, scanned_at, received_at, message, response)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scan_id) DO NOTHING`,
		many: `INSERT INTO scans (id, scan_id, attempted_scan_id, raw, code_kind, code_value, result, device, channel,
			by_name, location_id, volume_id, scanned_at, received_at, message, response)
		SELECT ? + key, value->>0, value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7,
			value->>8, value->>9, value->>10, value->>11, value->>12, value->>13
		FROM jsonb_each(?) WHERE true
		ON CONFLICT (scan_id) DO NOTHING`,
		uses: []int{0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13},
	}
	sqliteInsertMovements = sqliteWrite{
		table: "movements",
		one: `INSERT INTO movements (volume_id, to_location_id, scanned_at, received_at, by_name, device, channel, scan_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		many: `INSERT INTO movements (id, volume_id, to_location_id, scanned_at, received_at, by_name, device, channel, scan_id)
		SELECT ? + key, value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7
		FROM jsonb_each(?)`,
		uses: []int{0, 1, 2, 3, 4, 5, 6, 7},
	}
	sqliteUpdateVolumes = sqliteWrite{
		one: `UPDATE volumes SET current_location_id = ?, current_since = ?, last_scanned_at = ? WHERE id = ?`,
		many: `UPDATE volumes SET current_location_id = u.value->>1, current_since = u.value->>2,
			last_scanned_at = u.value->>3
		FROM jsonb_each(?) AS u WHERE volumes.id = u.value->>0`,
		uses: []int{1, 2, 3, 0},
	}
	sqliteInsertReads = sqliteWrite{
		table: "access_log",
		one: `INSERT INTO access_log (at, actor, role, action, patient_id, detail, actor_kind)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		many: `INSERT INTO access_log (id, at, actor, role, action, patient_id, detail, actor_kind)
		SELECT ? + key, value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6 FROM jsonb_each(?)`,
		uses: []int{0, 1, 2, 3, 4, 5, 6},
	}
)

func (w *chunkWriter) insertSQLite(claimed []*tracking.ScanRecord) error {
	scans := newSQLiteRows(1024 * len(claimed))
	m := newSQLiteRows(160 * len(claimed))
	a := newSQLiteRows(120 * len(claimed))
	for _, r := range claimed {
		scans.row().str(tracking.StorableText(r.Scan.ScanID)).str(tracking.StorableText(r.Raw)).str(string(r.Code.Kind)).
			str(tracking.StorableText(r.Code.Value)).str(string(r.Result.Result)).str(tracking.StorableText(r.Scan.Device)).
			str(r.Scan.Channel).str(r.Scan.By).intOrNull(locationIDOf(r.Result.Location)).intOrNull(volumeIDOf(r.Result.Volume)).
			time(r.Scan.ScannedAt.UTC()).time(r.ReceivedAt.UTC()).str(r.Result.Message).str(string(r.Response))
		if r.Effects.Move {
			m.row().int(r.Volume.ID).int(r.Target.ID).time(r.Scan.ScannedAt.UTC()).time(r.ReceivedAt.UTC()).
				str(r.Scan.By).str(r.Scan.Device).str(r.Scan.Channel).str(r.Scan.ScanID)
		}
		if p := r.Effects.ReadPatientID; p != 0 {
			a.row().time(r.ReceivedAt.UTC()).str(r.Scan.By).str(string(r.Scan.Role)).str("scan").int(p).str(r.Scan.ScanID).
				str(string(r.Scan.ActorKind))
		}
	}
	n, err := sqliteInsertScans.run(w.tx, scans)
	if err != nil {
		return err
	}
	if n != len(claimed) {
		return errScanIDRace
	}
	changed := w.decision.Changed()
	v := newSQLiteRows(100 * len(changed))
	for _, c := range changed {
		v.row().int(c.ID).int(c.State.CurrentID).time(c.State.Since.UTC()).time(c.State.LastScanAt.UTC())
	}
	for _, st := range []struct {
		write sqliteWrite
		rows  *sqliteRows
	}{{sqliteInsertMovements, m}, {sqliteUpdateVolumes, v}, {sqliteInsertReads, a}} {
		if _, err := st.write.run(w.tx, st.rows); err != nil {
			return err
		}
	}
	return nil
}

// setDeviceContexts stores, for each device, the last location the chunk's
// claimed scans set it to.
func (w *chunkWriter) setDeviceContexts() error {
	last := map[string]*tracking.ScanRecord{}
	var order []string
	for _, r := range w.decision.Claimed() {
		if r.Effects.Context == nil {
			continue
		}
		if last[r.Scan.Device] == nil {
			order = append(order, r.Scan.Device)
		}
		last[r.Scan.Device] = r
	}
	for _, d := range order {
		r := last[d]
		err := w.tx.Exec(`INSERT INTO devices (name, location_id, set_at, set_by, scan_id) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET location_id = excluded.location_id, set_at = excluded.set_at,
			set_by = excluded.set_by, scan_id = excluded.scan_id`,
			d, r.Effects.Context.ID, r.ReceivedAt.UTC(), r.Scan.By, r.Scan.ScanID).Error
		if err != nil {
			return err
		}
	}
	return nil
}

func locationIDOf(l *tracking.Location) *int64 {
	if l == nil {
		return nil
	}
	return &l.ID
}

func volumeIDOf(v *tracking.Volume) *int64 {
	if v == nil {
		return nil
	}
	return &v.ID
}
