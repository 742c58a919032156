package db

import (
	"context"
	"fmt"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// SaveAppointment stores an appointment as the PAS sent it and keeps its
// request in step, in one transaction (see tracking.PlanAppointment).
func (db *DB) SaveAppointment(ctx context.Context, a *tracking.Appointment, req *tracking.Request) (tracking.AppointmentOutcome, error) {
	var out tracking.AppointmentOutcome
	err := db.requestTx(ctx, func(tx runner, news *[]tracking.RequestChange) error {
		var err error
		out, err = db.saveAppointmentTx(tx, a, req, news)
		return err
	})
	return out, translate(err, "appointment")
}

// saveAppointmentTx is SaveAppointment inside a transaction of the
// caller's (an upload's own, or a PAS message's): it adds the news for
// the caller to send once it commits.
func (db *DB) saveAppointmentTx(tx runner, a *tracking.Appointment, req *tracking.Request,
	news *[]tracking.RequestChange) (tracking.AppointmentOutcome, error) {
	vols, err := db.lockPatient(tx, a.PatientID)
	if err != nil {
		return "", err
	}
	old, err := db.lockAppointment(tx, a.PASID)
	if err != nil {
		return "", err
	}
	var live *liveRequest
	if old != nil {
		if live, err = db.liveRequest(tx, old.ID); err != nil {
			return "", err
		}
	}
	plan := tracking.PlanAppointment(old, live != nil, a)
	if plan.Outcome == tracking.OutcomeUnchanged {
		return plan.Outcome, nil
	}
	if err := saveAppointment(tx, a, old, req.CreatedAt.Time); err != nil {
		return "", err
	}
	return plan.Outcome, db.followAppointment(tx, plan.Request, a, live, req, vols, news)
}

// followAppointment does to the appointment's request what the plan says.
func (db *DB) followAppointment(tx runner, act tracking.RequestAction, a *tracking.Appointment, live *liveRequest,
	req *tracking.Request, vols []tracking.HeldVolume, news *[]tracking.RequestChange) error {
	at := req.CreatedAt.Time
	if (act == tracking.RequestCancel || act == tracking.RequestReplace) && live != nil {
		if err := cancelRequest(tx, live.ID, req.RequestedBy, at); err != nil {
			return err
		}
		*news = append(*news, tracking.RequestChange{Request: live.ID, Event: "cancelled", Location: live.Code})
	}
	switch act {
	case tracking.RequestNew, tracking.RequestReplace:
		code, err := codeOf(tx, a.ClinicID)
		if err != nil {
			return err
		}
		req.AppointmentID, req.Location = a.ID, &tracking.Location{ID: a.ClinicID, Code: code}
		return db.insertRequest(tx, req, vols, news)
	case tracking.RequestMove:
		return db.moveRequest(tx, live, a.ClinicID, req, vols, news)
	}
	return nil
}

// lockAppointment reads the appointment stored under a PAS id, locked;
// nil when there is none.
func (db *DB) lockAppointment(tx runner, pasID string) (*tracking.Appointment, error) {
	return db.appointmentByPASID(tx, pasID, db.forUpdate())
}

// appointmentByPASID reads the appointment stored under a PAS id, with
// lock as the query's locking clause; nil when there is none.
func (db *DB) appointmentByPASID(tx runner, pasID, lock string) (*tracking.Appointment, error) {
	as, err := queryAll(tx, func(scan scanFunc) (*tracking.Appointment, error) {
		a := &tracking.Appointment{}
		var status string
		err := scan(&a.ID, &a.PASID, &a.PatientID, &a.ClinicID, &a.Start, &status)
		a.Start, a.Status = a.Start.UTC(), tracking.AppointmentStatus(status)
		return a, err
	}, "SELECT id, pas_id, patient_id, clinic_id, starts_at, status FROM appointments WHERE pas_id = ?"+lock, pasID)
	if err != nil || len(as) == 0 {
		return nil, err
	}
	return as[0], nil
}

// liveRequest is an appointment's open or fulfilled request.
type liveRequest struct {
	ID, LocationID int64
	Status, Code   string
}

func (db *DB) liveRequest(tx runner, appointmentID int64) (*liveRequest, error) {
	q := `SELECT r.id, r.location_id, r.status, l.code FROM requests r JOIN locations l ON l.id = r.location_id
		WHERE r.appointment_id = ? AND r.status IN ('open', 'fulfilled') ORDER BY r.id DESC LIMIT 1`
	if db.dialect == Postgres {
		q += " FOR UPDATE OF r"
	}
	var r liveRequest
	found, err := queryOne(tx, q, []any{&r.ID, &r.LocationID, &r.Status, &r.Code}, appointmentID)
	if err != nil || !found {
		return nil, err
	}
	return &r, nil
}

func saveAppointment(tx runner, a *tracking.Appointment, old *tracking.Appointment, at time.Time) error {
	if old == nil {
		_, err := queryOne(tx, `INSERT INTO appointments (pas_id, patient_id, clinic_id, starts_at, status, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, []any{&a.ID}, a.PASID, a.PatientID, a.ClinicID, a.Start.UTC(), string(a.Status), at.UTC())
		return err
	}
	a.ID = old.ID
	return tx.exec("UPDATE appointments SET patient_id = ?, clinic_id = ?, starts_at = ?, status = ?, updated_at = ? WHERE id = ?",
		a.PatientID, a.ClinicID, a.Start.UTC(), string(a.Status), at.UTC(), a.ID)
}

func codeOf(tx runner, locationID int64) (string, error) {
	var code string
	found, err := queryOne(tx, "SELECT code FROM locations WHERE id = ?", []any{&code}, locationID)
	if err == nil && !found {
		err = fmt.Errorf("location %d vanished", locationID)
	}
	return code, err
}

// moveRequest moves an appointment's request to its new time and clinic.
func (db *DB) moveRequest(tx runner, live *liveRequest, clinicID int64, req *tracking.Request,
	vols []tracking.HeldVolume, news *[]tracking.RequestChange) error {
	at := req.CreatedAt.Time
	code, err := codeOf(tx, clinicID)
	if err != nil {
		return err
	}
	events := []requestEvent{{live.ID, at, "moved", req.RequestedBy, 0, fmt.Sprintf("to %s, needed by %s", code, req.NeededBy.Format())}}
	status := live.Status
	if clinicID != live.LocationID {
		var more []requestEvent
		if status, more, err = db.resettleAt(tx, live, clinicID, req, vols); err != nil {
			return err
		}
		events = append(events, more...)
	}
	fulfilled := "fulfilled_at = NULL"
	args := []any{clinicID, req.NeededBy.UTC(), status}
	switch {
	case status == live.Status && clinicID == live.LocationID:
		fulfilled = "fulfilled_at = fulfilled_at"
	case status == string(tracking.RequestFulfilled):
		fulfilled, args = "fulfilled_at = ?", append(args, at.UTC())
	}
	err = tx.exec("UPDATE requests SET location_id = ?, needed_by = ?, status = ?, "+fulfilled+" WHERE id = ?",
		append(args, live.ID)...)
	if err != nil {
		return err
	}
	*news = append(*news, tracking.RequestChange{Request: live.ID, Event: "moved", Location: code})
	return writeEvents(tx, events)
}

// resettleAt settles a request moved to another clinic afresh: what
// arrived at the old one no longer counts, and one fulfilled there reopens
// unless the notes are already at the new clinic. It writes the items and
// returns the new status and the history to add.
func (db *DB) resettleAt(tx runner, live *liveRequest, clinicID int64, req *tracking.Request,
	vols []tracking.HeldVolume) (string, []requestEvent, error) {
	at := req.CreatedAt.Time
	items, err := db.requestItemsTx(tx, live.ID)
	if err != nil {
		return "", nil, err
	}
	st := &tracking.RequestState{ID: live.ID, PatientID: req.PatientID, LocationID: clinicID, Whole: true, Items: items}
	st.Forget()
	arrived, complete := st.Settle(vols, at)
	var events []requestEvent
	for _, v := range arrived {
		events = append(events, requestEvent{live.ID, at, "arrived", req.RequestedBy, v, "already there"})
	}
	status := string(tracking.RequestOpen)
	if complete {
		status = string(tracking.RequestFulfilled)
	} else if live.Status == string(tracking.RequestFulfilled) {
		events = append(events, requestEvent{live.ID, at, "reopened", req.RequestedBy, 0, ""})
	}
	if err := tx.exec("DELETE FROM request_volumes WHERE request_id = ?", live.ID); err != nil {
		return "", nil, err
	}
	return status, events, writeItems(tx, live.ID, st.Items)
}

func (db *DB) requestItemsTx(tx runner, id int64) ([]tracking.RequestItem, error) {
	return queryAll(tx, func(scan scanFunc) (tracking.RequestItem, error) {
		var volumeID int64
		var named bool
		var arrivedAt *time.Time
		err := scan(&volumeID, &named, &arrivedAt)
		return requestItem(volumeID, named, arrivedAt), err
	}, "SELECT volume_id, named, arrived_at FROM request_volumes WHERE request_id = ?", id)
}

// FindAppointment finds an appointment by the PAS's id.
func (db *DB) FindAppointment(ctx context.Context, pasID string) (*tracking.Appointment, error) {
	a, err := db.appointmentByPASID(db.runner(db.gorm.WithContext(ctx)), pasID, "")
	if err != nil {
		return nil, translate(err, "appointment")
	}
	if a == nil {
		return nil, tracking.Errorf(tracking.ENOTFOUND, "There is no appointment %q.", pasID)
	}
	return a, nil
}

// FindClinicRequests lists the live requests of booked appointments
// starting in [from, to), by start.
func (db *DB) FindClinicRequests(ctx context.Context, from, to time.Time, clinicID int64) ([]*tracking.Request, error) {
	where := `WHERE a.status = 'booked' AND a.starts_at >= ? AND a.starts_at < ? AND r.status IN ('open', 'fulfilled')`
	args := []any{from.UTC(), to.UTC()}
	if clinicID != 0 {
		where, args = where+" AND r.location_id = ?", append(args, clinicID)
	}
	return db.readRequests(ctx, db.gorm.WithContext(ctx).Raw(requestColumns+where+" ORDER BY a.starts_at, r.id", args...))
}

// Appointment reads the appointment stored under the PAS id, unlocked:
// SaveAppointment locks it after its patient, as every writer does.
func (t *patientTx) Appointment(pasID string) (*tracking.Appointment, error) {
	return t.db.appointmentByPASID(t.run, pasID, "")
}

// SaveAppointment stores an appointment and keeps its request in step in
// the transaction, its news sent once the transaction commits.
func (t *patientTx) SaveAppointment(a *tracking.Appointment, req *tracking.Request) (tracking.AppointmentOutcome, error) {
	var news []tracking.RequestChange
	out, err := t.db.saveAppointmentTx(t.run, a, req, &news)
	if err == nil {
		err = notify(t.db.dialect, t.run, news)
	}
	t.news = append(t.news, news...)
	return out, err
}
