package db

import (
	"github.com/casetrack/casetrack/tracking"
)

// insert writes the chunk's claimed scans, their movements and the volumes'
// new states. On PostgreSQL it is one statement; SQLite, which allows no
// writes inside WITH, takes three. Either way a scan id stored meanwhile by
// another transaction shows as a short claim and the chunk is taken again.
func (w *chunkWriter) insert() error {
	if len(w.claimed) == 0 {
		return nil
	}
	movers, changed, reads := w.movers(), w.changedVolumes(), patientReads(w.claimed)
	if w.dialect == Postgres {
		return w.insertPostgres(w.tx.Statement.Context, movers, changed, reads)
	}
	return w.insertSQLite(movers, changed, reads)
}

// patientRead is a scan whose answer shows a patient's details: it goes
// into the access audit log like any other read of the record.
type patientRead struct {
	rec       *tracking.ScanRecord
	patientID int64
}

func patientReads(recs []*tracking.ScanRecord) []patientRead {
	var out []patientRead
	for _, r := range recs {
		switch {
		case r.Result.Volume != nil:
			out = append(out, patientRead{r, r.Result.Volume.PatientID})
		case len(r.Result.Choices) > 0:
			out = append(out, patientRead{r, r.Result.Choices[0].PatientID})
		}
	}
	return out
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
		one:   `INSERT INTO access_log (at, actor, role, action, patient_id, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		many: `INSERT INTO access_log (id, at, actor, role, action, patient_id, detail)
		SELECT ? + key, value->>0, value->>1, value->>2, value->>3, value->>4, value->>5 FROM jsonb_each(?)`,
		uses: []int{0, 1, 2, 3, 4, 5},
	}
)

func (w *chunkWriter) insertSQLite(movers []*tracking.ScanRecord, changed []volumeChange, reads []patientRead) error {
	scans := newSQLiteRows(1024 * len(w.claimed))
	for _, r := range w.claimed {
		scans.row().str(tracking.StorableText(r.Scan.ScanID)).str(tracking.StorableText(r.Raw)).str(string(r.Code.Kind)).
			str(tracking.StorableText(r.Code.Value)).str(string(r.Result.Result)).str(tracking.StorableText(r.Scan.Device)).
			str(r.Scan.Channel).str(r.Scan.By).intOrNull(locationIDOf(r.Result.Location)).intOrNull(volumeIDOf(r.Result.Volume)).
			time(r.Scan.ScannedAt.UTC()).time(r.ReceivedAt.UTC()).str(r.Result.Message).str(string(r.Response))
	}
	n, err := sqliteInsertScans.run(w.tx, scans)
	if err != nil {
		return err
	}
	if n != len(w.claimed) {
		return errScanIDRace
	}
	m := newSQLiteRows(160 * len(movers))
	for _, r := range movers {
		m.row().int(r.Volume.ID).int(r.Target.ID).time(r.Scan.ScannedAt.UTC()).time(r.ReceivedAt.UTC()).
			str(r.Scan.By).str(r.Scan.Device).str(r.Scan.Channel).str(r.Scan.ScanID)
	}
	v := newSQLiteRows(100 * len(changed))
	for _, c := range changed {
		v.row().int(c.id).int(c.st.CurrentLocationID).time(c.st.CurrentSince.UTC()).time(c.st.LastScannedAt.UTC())
	}
	a := newSQLiteRows(120 * len(reads))
	for _, p := range reads {
		r := p.rec
		a.row().time(r.ReceivedAt.UTC()).str(r.Scan.By).str(string(r.Scan.Role)).str("scan").int(p.patientID).str(r.Scan.ScanID)
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

// movers are the claimed records that move a volume.
func (w *chunkWriter) movers() []*tracking.ScanRecord {
	var out []*tracking.ScanRecord
	for _, r := range w.claimed {
		if r.Moves() {
			out = append(out, r)
		}
	}
	return out
}

// volumeChange is a volume's state as the chunk leaves it.
type volumeChange struct {
	id int64
	st *volState
}

func (w *chunkWriter) changedVolumes() []volumeChange {
	var out []volumeChange
	for id, st := range w.vols {
		if st.changed {
			out = append(out, volumeChange{id, st})
		}
	}
	return out
}

// setDeviceContexts stores, for each device, the last location the chunk's
// claimed scans set it to.
func (w *chunkWriter) setDeviceContexts() error {
	last := map[string]*tracking.ScanRecord{}
	var order []string
	for _, r := range w.claimed {
		if r.Context == nil {
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
			d, r.Context.ID, r.ReceivedAt.UTC(), r.Scan.By, r.Scan.ScanID).Error
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
