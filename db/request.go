package db

import (
	"context"
	"slices"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// CreateRequest stores a new request, settled under lock against the
// patient's volumes as they are: those already at the place count as
// arrived, and a request they complete is stored fulfilled.
func (db *DB) CreateRequest(ctx context.Context, r *tracking.Request) error {
	err := db.requestTx(ctx, func(tx runner, news *[]tracking.RequestChange) error {
		vols, err := db.lockPatient(tx, r.PatientID)
		if err != nil {
			return err
		}
		return db.insertRequest(tx, r, vols, news)
	})
	return translate(err, "request")
}

// lockPatient locks a patient's row, then its volumes in id order, and
// returns the volumes as the request rules need them. Writes that settle
// requests lock in this order (patient, volumes, requests), and a scan
// locks volumes, then requests: no two of them wait on each other in turn.
func (db *DB) lockPatient(r runner, patientID int64) ([]tracking.HeldVolume, error) {
	lock := db.forUpdate()
	var id int64
	found, err := queryOne(r, "SELECT id FROM patients WHERE id = ?"+lock, []any{&id}, patientID)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, tracking.Errorf(tracking.ENOTFOUND, "No such patient.")
	}
	return heldVolumes(r, "SELECT id, patient_id, status, current_location_id FROM volumes WHERE patient_id = ? ORDER BY id"+lock, patientID)
}

// forUpdate is what locks the rows a query reads: FOR UPDATE on
// PostgreSQL; SQLite's one writer holds the whole database already.
func (db *DB) forUpdate() string {
	if db.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// forUpdateOf is forUpdate for a query that joins tables: it locks the
// rows of the one named only.
func (db *DB) forUpdateOf(table string) string {
	if db.dialect == Postgres {
		return " FOR UPDATE OF " + table
	}
	return ""
}

// heldVolumes reads volumes (id, patient_id, status, current_location_id)
// as the request rules take them.
func heldVolumes(r runner, query string, args ...any) ([]tracking.HeldVolume, error) {
	return queryAll(r, func(scan scanFunc) (tracking.HeldVolume, error) {
		var v tracking.HeldVolume
		var status string
		err := scan(&v.ID, &v.PatientID, &status, &v.CurrentID)
		v.Status = tracking.VolumeStatus(status)
		return v, err
	}, query, args...)
}

// insertRequest settles a new request against the patient's volumes and
// writes it, its items and its first history.
func (db *DB) insertRequest(tx runner, r *tracking.Request, vols []tracking.HeldVolume, news *[]tracking.RequestChange) error {
	st := r.State()
	at := r.CreatedAt.UTC()
	arrived, complete := st.Settle(vols, at)
	r.Items, r.Status, r.FulfilledAt = st.Items, tracking.RequestOpen, nil
	if complete {
		r.Status, r.FulfilledAt = tracking.RequestFulfilled, &r.CreatedAt
	}
	var fulfilled *time.Time
	if complete {
		fulfilled = &at
	}
	_, err := queryOne(tx, `INSERT INTO requests (patient_id, location_id, needed_by, priority, note, whole, status,
		appointment_id, requested_by, created_at, fulfilled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{&r.ID}, r.PatientID, r.LocationID, r.NeededBy.UTC(), string(r.Priority), r.Note, r.AllVolumes, string(r.Status),
		nullableID(r.AppointmentID), r.RequestedBy, at, fulfilled)
	if err != nil {
		return err
	}
	if err := writeItems(tx, r.ID, r.Items); err != nil {
		return err
	}
	events := []requestEvent{{r.ID, at, "requested", r.RequestedBy, 0, ""}}
	for _, v := range arrived {
		events = append(events, requestEvent{r.ID, at, "arrived", r.RequestedBy, v, "already there"})
	}
	if complete {
		events = append(events, requestEvent{r.ID, at, "fulfilled", r.RequestedBy, 0, ""})
	}
	*news = append(*news, tracking.RequestChange{Request: r.ID, Event: "created", Location: locationCode(r.Location)})
	return writeEvents(tx, events)
}

// writeItems stores a request's named volumes and arrivals.
func writeItems(tx runner, id int64, items []tracking.RequestItem) error {
	for _, it := range items {
		var arrived *time.Time
		if it.Arrived() {
			t := it.ArrivedAt.UTC()
			arrived = &t
		}
		err := tx.exec(`INSERT INTO request_volumes (request_id, volume_id, named, arrived_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (request_id, volume_id) DO UPDATE SET named = excluded.named, arrived_at = excluded.arrived_at`,
			id, it.VolumeID, it.Named, arrived)
		if err != nil {
			return err
		}
	}
	return nil
}

// requestItem is a request_volumes row as the rules take it.
func requestItem(volumeID int64, named bool, arrivedAt *time.Time) tracking.RequestItem {
	it := tracking.RequestItem{VolumeID: volumeID, Named: named}
	if arrivedAt != nil {
		it.ArrivedAt = arrivedAt.UTC()
	}
	return it
}

// requestEvent is a line of a request's history as stored.
type requestEvent struct {
	requestID int64
	at        time.Time
	event, by string
	volumeID  int64
	detail    string
}

func writeEvents(tx runner, events []requestEvent) error {
	for _, e := range events {
		err := tx.exec(`INSERT INTO request_events (request_id, at, event, by_name, volume_id, detail) VALUES (?, ?, ?, ?, ?, ?)`,
			e.requestID, e.at.UTC(), e.event, e.by, nullableID(e.volumeID), e.detail)
		if err != nil {
			return err
		}
	}
	return nil
}

func locationCode(l *tracking.Location) string {
	if l == nil {
		return ""
	}
	return l.Code
}

// CancelRequest cancels an open request.
func (db *DB) CancelRequest(ctx context.Context, id int64, by string, at time.Time) error {
	err := db.requestTx(ctx, func(tx runner, news *[]tracking.RequestChange) error {
		q := `SELECT r.status, l.code FROM requests r JOIN locations l ON l.id = r.location_id WHERE r.id = ?`
		if db.dialect == Postgres {
			q += " FOR UPDATE OF r"
		}
		var status, code string
		found, err := queryOne(tx, q, []any{&status, &code}, id)
		switch {
		case err != nil:
			return err
		case !found:
			return tracking.Errorf(tracking.ENOTFOUND, "There is no request %d.", id)
		case status != string(tracking.RequestOpen):
			return tracking.Errorf(tracking.ECONFLICT, "Request %d is %s already: only an open request can be cancelled.", id, status)
		}
		if err := cancelRequest(tx, id, by, at); err != nil {
			return err
		}
		*news = append(*news, tracking.RequestChange{Request: id, Event: "cancelled", Location: code})
		return nil
	})
	return translate(err, "request")
}

// cancelRequest marks a request cancelled, with its history.
func cancelRequest(tx runner, id int64, by string, at time.Time) error {
	err := tx.exec("UPDATE requests SET status = ?, cancelled_by = ?, cancelled_at = ? WHERE id = ?",
		string(tracking.RequestCancelled), by, at.UTC(), id)
	if err != nil {
		return err
	}
	return writeEvents(tx, []requestEvent{{id, at, "cancelled", by, 0, ""}})
}

// requestColumns read a request with its appointment's id and start.
const requestColumns = `SELECT r.id, r.patient_id, r.location_id, r.needed_by, r.priority, r.note, r.whole, r.status,
	r.appointment_id, r.requested_by, r.created_at, r.fulfilled_at, r.cancelled_by, r.cancelled_at,
	a.pas_id, a.starts_at
FROM requests r LEFT JOIN appointments a ON a.id = r.appointment_id `

type requestRow struct {
	ID, PatientID, LocationID int64
	NeededBy                  time.Time
	Priority, Note            string
	Whole                     bool
	Status                    string
	AppointmentID             *int64
	RequestedBy               string
	CreatedAt                 time.Time
	FulfilledAt               *time.Time
	CancelledBy               *string
	CancelledAt               *time.Time
	PasID                     *string
	StartsAt                  *time.Time
}

func (r *requestRow) request() *tracking.Request {
	q := &tracking.Request{ID: r.ID, PatientID: r.PatientID, LocationID: r.LocationID, NeededBy: tracking.TimestampOf(r.NeededBy),
		Priority: tracking.Priority(r.Priority), Note: r.Note, AllVolumes: r.Whole, Status: tracking.RequestStatus(r.Status),
		AppointmentID: derefID(r.AppointmentID), RequestedBy: r.RequestedBy, CreatedAt: tracking.TimestampOf(r.CreatedAt),
		FulfilledAt: timestamp(r.FulfilledAt), CancelledBy: deref(r.CancelledBy), CancelledAt: timestamp(r.CancelledAt),
		Appointment: deref(r.PasID), Start: timestamp(r.StartsAt)}
	return q
}

func timestamp(t *time.Time) *tracking.Timestamp {
	if t == nil {
		return nil
	}
	ts := tracking.TimestampOf(*t)
	return &ts
}

// FindRequests lists requests as the filter asks: open ones by need,
// urgent first at equal times, the rest newest first.
func (db *DB) FindRequests(ctx context.Context, f tracking.RequestFilter) ([]*tracking.Request, error) {
	where, args := "WHERE 1 = 1", []any{}
	if f.Status != "" {
		where, args = where+" AND r.status = ?", append(args, string(f.Status))
	}
	if f.LocationID != 0 {
		where, args = where+" AND r.location_id = ?", append(args, f.LocationID)
	}
	if f.RequestedBy != "" {
		where, args = where+" AND r.requested_by = ?", append(args, f.RequestedBy)
	}
	if len(f.PatientIDs) > 0 {
		cond, arg := inList(db.dialect, "r.patient_id", f.PatientIDs)
		where, args = where+" AND "+cond, append(args, arg)
	}
	order := ` ORDER BY (r.status = 'open') DESC, CASE WHEN r.status = 'open' THEN r.needed_by END,
		(r.priority = 'urgent') DESC, r.id DESC`
	if f.RequestedBy != "" {
		order = " ORDER BY r.id DESC"
	}
	if f.Limit > 0 {
		order, args = order+" LIMIT ?", append(args, f.Limit)
	}
	return db.readRequests(ctx, db.gorm.WithContext(ctx).Raw(requestColumns+where+order, args...))
}

// FindRequest finds one request with its history.
func (db *DB) FindRequest(ctx context.Context, id int64) (*tracking.Request, error) {
	rs, err := db.readRequests(ctx, db.gorm.WithContext(ctx).Raw(requestColumns+"WHERE r.id = ?", id))
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, tracking.Errorf(tracking.ENOTFOUND, "There is no request %d.", id)
	}
	r := rs[0]
	r.History, err = db.requestHistory(ctx, r)
	return r, translate(err, "request")
}

// readRequests reads requests and completes each: its patient with the
// patient's volumes, its location and its items.
func (db *DB) readRequests(ctx context.Context, q *gorm.DB) ([]*tracking.Request, error) {
	var rows []requestRow
	if err := scan(q, &rows); err != nil {
		return nil, translate(err, "request")
	}
	out := make([]*tracking.Request, len(rows))
	var ids, patients, locs []int64
	for i := range rows {
		out[i] = rows[i].request()
		ids, patients, locs = append(ids, out[i].ID), append(patients, out[i].PatientID), append(locs, out[i].LocationID)
	}
	if len(out) == 0 {
		return out, nil
	}
	if err := db.completeRequests(ctx, out, ids, patients, locs); err != nil {
		return nil, err
	}
	return out, nil
}

func (db *DB) completeRequests(ctx context.Context, out []*tracking.Request, ids, patients, locs []int64) error {
	ps, err := db.patientsByID(ctx, unique(patients))
	if err != nil {
		return err
	}
	ls, err := db.locationsByID(ctx, unique(locs))
	if err != nil {
		return err
	}
	items, err := db.requestItems(ctx, ids)
	if err != nil {
		return err
	}
	for _, r := range out {
		if p := ps[r.PatientID]; p != nil {
			c := *p
			r.Patient = &c
		}
		r.Location, r.Items = ls[r.LocationID], items[r.ID]
	}
	return nil
}

func unique(ids []int64) []int64 {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return slices.Compact(ids)
}

// patientsByID reads patients with their volumes, by id.
func (db *DB) patientsByID(ctx context.Context, ids []int64) (map[int64]*tracking.Patient, error) {
	rows, err := db.patientRows(ctx, ids)
	if err != nil {
		return nil, translate(err, "patient")
	}
	out := make(map[int64]*tracking.Patient, len(rows))
	for i := range rows {
		out[rows[i].ID] = rows[i].patient()
	}
	vols, err := db.volumesOfPatients(ctx, ids)
	if err != nil {
		return nil, translate(err, "volume")
	}
	for _, v := range vols {
		if p := out[v.PatientID]; p != nil {
			p.Volumes = append(p.Volumes, v)
		}
	}
	return out, nil
}

// volumesOfPatients reads every volume of the patients, by patient and
// number, with where each is now: lighter than the scan path's read (no
// patient, no home, the count by window), as a pull list reads thousands.
// On PostgreSQL each patient is one index look-up, whatever the planner
// knows of the table (see volumesByCodes).
func (db *DB) volumesOfPatients(ctx context.Context, ids []int64) ([]*tracking.Volume, error) {
	const cols = `SELECT v.id, v.patient_id, v.number, v.barcode, v.legacy_barcode, v.status, v.home_location_id,
		v.current_location_id, v.current_since, COUNT(*) OVER (PARTITION BY v.patient_id) `
	q, arg := cols+`FROM unnest(?::int8[]) AS k(pid) CROSS JOIN LATERAL
		(SELECT * FROM volumes WHERE patient_id = k.pid OFFSET 0) v ORDER BY v.patient_id, v.number`, any(intArray(ids))
	if db.dialect != Postgres {
		where, a := inList(db.dialect, "v.patient_id", ids)
		q, arg = cols+"FROM volumes v WHERE "+where+" ORDER BY v.patient_id, v.number", a
	}
	rows, err := db.gorm.Statement.ConnPool.QueryContext(ctx, db.rebind(q), arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*tracking.Volume
	locs := map[int64]bool{}
	for rows.Next() {
		var r volumeView
		if err := rows.Scan(&r.ID, &r.PatientID, &r.Number, &r.Barcode, &r.LegacyBarcode, &r.Status, &r.HomeLocationID,
			&r.CurrentLocationID, &r.CurrentSince, &r.VolumeCount); err != nil {
			return nil, err
		}
		out = append(out, &tracking.Volume{ID: r.ID, PatientID: r.PatientID, Number: r.Number, Count: r.VolumeCount,
			Barcode: deref(r.Barcode), LegacyCode: deref(r.LegacyBarcode), Status: tracking.VolumeStatus(r.Status),
			HomeID: r.HomeLocationID, CurrentID: r.CurrentLocationID, Since: tracking.TimestampOf(r.CurrentSince)})
		locs[r.CurrentLocationID] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, db.placeVolumes(ctx, out, locs)
}

// placeVolumes gives each volume its current location, read once each.
func (db *DB) placeVolumes(ctx context.Context, vols []*tracking.Volume, ids map[int64]bool) error {
	if len(ids) == 0 {
		return nil
	}
	list := make([]int64, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	ls, err := db.locationsByID(ctx, list)
	if err != nil {
		return err
	}
	for _, v := range vols {
		v.Current = ls[v.CurrentID]
	}
	return nil
}

// patientRows reads patients by id, a look-up each on PostgreSQL (see
// volumesOfPatients), scanned by hand: a pull list reads thousands.
func (db *DB) patientRows(ctx context.Context, ids []int64) ([]patientRow, error) {
	const cols = "SELECT p.id, p.hospital_number, p.nhs_number, p.family_name, p.given_name, p.birth_date, p.death_date, p.merged_into_id, p.created_at "
	q, arg := cols+"FROM unnest(?::int8[]) AS k(id) CROSS JOIN LATERAL (SELECT * FROM patients WHERE id = k.id OFFSET 0) p", any(intArray(ids))
	if db.dialect != Postgres {
		where, a := inList(db.dialect, "p.id", ids)
		q, arg = cols+"FROM patients p WHERE "+where, a
	}
	rows, err := db.gorm.Statement.ConnPool.QueryContext(ctx, db.rebind(q), arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []patientRow
	for rows.Next() {
		var r patientRow
		if err := rows.Scan(&r.ID, &r.HospitalNumber, &r.NHSNumber, &r.FamilyName, &r.GivenName, &r.BirthDate, &r.DeathDate,
			&r.MergedIntoID, &r.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// requestItems reads the named volumes and arrivals of requests.
func (db *DB) requestItems(ctx context.Context, ids []int64) (map[int64][]tracking.RequestItem, error) {
	var rows []struct {
		RequestID, VolumeID int64
		Named               bool
		ArrivedAt           *time.Time
	}
	where, arg := inList(db.dialect, "request_id", ids)
	if err := scan(db.gorm.WithContext(ctx).Raw("SELECT request_id, volume_id, named, arrived_at FROM request_volumes WHERE "+where+
		" ORDER BY request_id, volume_id", arg), &rows); err != nil {
		return nil, translate(err, "request")
	}
	out := map[int64][]tracking.RequestItem{}
	for _, r := range rows {
		out[r.RequestID] = append(out[r.RequestID], requestItem(r.VolumeID, r.Named, r.ArrivedAt))
	}
	return out, nil
}

// requestHistory reads a request's history, oldest first.
func (db *DB) requestHistory(ctx context.Context, r *tracking.Request) ([]tracking.RequestEvent, error) {
	var rows []struct {
		At                    time.Time
		Event, ByName, Detail string
		Barcode               *string
	}
	err := scan(db.gorm.WithContext(ctx).Raw(`SELECT e.at, e.event, e.by_name, e.detail, v.barcode FROM request_events e
		LEFT JOIN volumes v ON v.id = e.volume_id WHERE e.request_id = ? ORDER BY e.id`, r.ID), &rows)
	out := make([]tracking.RequestEvent, len(rows))
	for i, row := range rows {
		out[i] = tracking.RequestEvent{At: tracking.TimestampOf(row.At), Event: row.Event, By: row.ByName,
			Volume: deref(row.Barcode), Detail: row.Detail}
	}
	return out, err
}
