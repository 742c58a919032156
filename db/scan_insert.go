package db

import (
	"slices"
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
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

// sqlStatement is SQL text with its arguments; empty text means nothing to do.
type sqlStatement struct {
	sql  string
	args []any
}

func statement(sql string, args []any) sqlStatement { return sqlStatement{sql, args} }

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

func accessRows(reads []patientRead) (string, []any) {
	if len(reads) == 0 {
		return "", nil
	}
	args := make([]any, 0, 6*len(reads))
	for _, p := range reads {
		r := p.rec
		args = append(args, r.ReceivedAt.UTC(), r.Scan.By, string(r.Scan.Role), "scan", p.patientID, r.Scan.ScanID)
	}
	return "INSERT INTO access_log (at, actor, role, action, patient_id, detail) VALUES " +
		valuesList(len(reads), "(?,?,?,?,?,?)"), args
}

// sqliteRows is how many rows one SQLite statement writes: its driver
// binds parameters in time quadratic in their number, so many small
// statements (all in-process, no round trips) beat one large one.
const sqliteRows = 25

func (w *chunkWriter) insertSQLite(movers []*tracking.ScanRecord, changed []volumeChange, reads []patientRead) error {
	n := 0
	for part := range slices.Chunk(w.claimed, sqliteRows) {
		sql, args := scanRows(part)
		got, err := countRows(w.tx, sql+" RETURNING 1", args)
		if err != nil {
			return err
		}
		n += got
	}
	if n != len(w.claimed) {
		return errScanIDRace
	}
	var stmts []sqlStatement
	for part := range slices.Chunk(movers, sqliteRows) {
		stmts = append(stmts, statement(movementRows(part)))
	}
	for part := range slices.Chunk(changed, sqliteRows) {
		stmts = append(stmts, statement(volumeUpdates(part)))
	}
	for part := range slices.Chunk(reads, sqliteRows) {
		stmts = append(stmts, statement(accessRows(part)))
	}
	for _, st := range stmts {
		if err := w.tx.Exec(st.sql, st.args...).Error; err != nil {
			return err
		}
	}
	return nil
}

// countRows runs a statement that returns rows and counts them.
func countRows(tx *gorm.DB, sql string, args []any) (int, error) {
	rows, err := tx.Raw(sql, args...).Rows()
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// valuesList writes n groups of the same placeholders: "(?,?),(?,?)".
func valuesList(n int, group string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(group)
	}
	return b.String()
}

func scanRows(recs []*tracking.ScanRecord) (string, []any) {
	args := make([]any, 0, 15*len(recs))
	for _, r := range recs {
		id := tracking.StorableText(r.Scan.ScanID)
		args = append(args, id, id, tracking.StorableText(r.Raw), string(r.Code.Kind), tracking.StorableText(r.Code.Value),
			string(r.Result.Result), tracking.StorableText(r.Scan.Device), r.Scan.Channel, r.Scan.By, locationIDOf(r.Result.Location),
			volumeIDOf(r.Result.Volume), r.Scan.ScannedAt.UTC(), r.ReceivedAt.UTC(), r.Result.Message, string(r.Response))
	}
	return `INSERT INTO scans (scan_id, attempted_scan_id, raw, code_kind, code_value, result, device, channel,
		by_name, location_id, volume_id, scanned_at, received_at, message, response) VALUES ` +
		valuesList(len(recs), "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)") + " ON CONFLICT (scan_id) DO NOTHING", args
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

func movementRows(recs []*tracking.ScanRecord) (string, []any) {
	var args []any
	n := 0
	for _, r := range recs {
		n++
		args = append(args, r.Volume.ID, r.Target.ID, r.Scan.ScannedAt.UTC(), r.ReceivedAt.UTC(), r.Scan.By,
			r.Scan.Device, r.Scan.Channel, r.Scan.ScanID)
	}
	if n == 0 {
		return "", nil
	}
	return `INSERT INTO movements (volume_id, to_location_id, scanned_at, received_at, by_name, device, channel, scan_id)
		VALUES ` + valuesList(n, "(?,?,?,?,?,?,?,?)"), args
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

// volumeUpdates sets each changed volume's current location, since and
// last scan time from a VALUES list joined on id.
func volumeUpdates(changes []volumeChange) (string, []any) {
	var args []any
	n := 0
	for _, c := range changes {
		n++
		args = append(args, c.id, c.st.CurrentLocationID, c.st.CurrentSince.UTC(), c.st.LastScannedAt.UTC())
	}
	if n == 0 {
		return "", nil
	}
	return `UPDATE volumes SET current_location_id = u.column2, current_since = u.column3, last_scanned_at = u.column4
		FROM (VALUES ` + valuesList(n, "(?,?,?,?)") + `) AS u WHERE volumes.id = u.column1`, args
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
