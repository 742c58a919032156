package db

import (
	"context"
	"fmt"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// SaveAppointment stores an appointment as the PAS sent it and keeps its
// request in step, in one transaction (see tracking.PlanAppointment).
func (db *DB) SaveAppointment(ctx context.Context, a *tracking.Appointment, req *tracking.Request) (tracking.AppointmentOutcome, error) {
	var out tracking.AppointmentOutcome
	err := db.requestTx(ctx, func(tx *gorm.DB, news *[]tracking.RequestChange) error {
		vols, err := db.lockPatient(tx, a.PatientID)
		if err != nil {
			return err
		}
		old, err := db.lockAppointment(tx, a.PASID)
		if err != nil {
			return err
		}
		var live *liveRequest
		if old != nil {
			if live, err = db.liveRequest(tx, old.ID); err != nil {
				return err
			}
		}
		plan := tracking.PlanAppointment(old, live != nil, a)
		if out = plan.Outcome; out == tracking.OutcomeUnchanged {
			return nil
		}
		if err := saveAppointment(tx, a, old, req.CreatedAt.Time); err != nil {
			return err
		}
		return db.followAppointment(tx, plan.Request, a, live, req, vols, news)
	})
	return out, translate(err, "appointment")
}

// followAppointment does to the appointment's request what the plan says.
func (db *DB) followAppointment(tx *gorm.DB, act tracking.RequestAction, a *tracking.Appointment, live *liveRequest,
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
func (db *DB) lockAppointment(tx *gorm.DB, pasID string) (*tracking.Appointment, error) {
	q := "SELECT id, pas_id, patient_id, clinic_id, starts_at, status FROM appointments WHERE pas_id = ?"
	if db.dialect == Postgres {
		q += " FOR UPDATE"
	}
	as, err := readAppointments(tx.Raw(q, pasID))
	if err != nil || len(as) == 0 {
		return nil, err
	}
	return as[0], nil
}

func readAppointments(q *gorm.DB) ([]*tracking.Appointment, error) {
	var rows []struct {
		ID                  int64
		PasID               string
		PatientID, ClinicID int64
		StartsAt            time.Time
		Status              string
	}
	if err := scan(q, &rows); err != nil {
		return nil, err
	}
	out := make([]*tracking.Appointment, len(rows))
	for i, r := range rows {
		out[i] = &tracking.Appointment{ID: r.ID, PASID: r.PasID, PatientID: r.PatientID, ClinicID: r.ClinicID,
			Start: r.StartsAt.UTC(), Status: tracking.AppointmentStatus(r.Status)}
	}
	return out, nil
}

// liveRequest is an appointment's open or fulfilled request.
type liveRequest struct {
	ID, LocationID int64
	Status, Code   string
}

func (db *DB) liveRequest(tx *gorm.DB, appointmentID int64) (*liveRequest, error) {
	q := `SELECT r.id, r.location_id, r.status, l.code FROM requests r JOIN locations l ON l.id = r.location_id
		WHERE r.appointment_id = ? AND r.status IN ('open', 'fulfilled') ORDER BY r.id DESC LIMIT 1`
	if db.dialect == Postgres {
		q += " FOR UPDATE OF r"
	}
	var rows []liveRequest
	if err := scan(tx.Raw(q, appointmentID), &rows); err != nil || len(rows) == 0 {
		return nil, err
	}
	return &rows[0], nil
}

func saveAppointment(tx *gorm.DB, a *tracking.Appointment, old *tracking.Appointment, at time.Time) error {
	if old == nil {
		return scan(tx.Raw(`INSERT INTO appointments (pas_id, patient_id, clinic_id, starts_at, status, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, a.PASID, a.PatientID, a.ClinicID, a.Start.UTC(), string(a.Status), at.UTC()), &a.ID)
	}
	a.ID = old.ID
	return tx.Exec("UPDATE appointments SET patient_id = ?, clinic_id = ?, starts_at = ?, status = ?, updated_at = ? WHERE id = ?",
		a.PatientID, a.ClinicID, a.Start.UTC(), string(a.Status), at.UTC(), a.ID).Error
}

func codeOf(tx *gorm.DB, locationID int64) (string, error) {
	var codes []string
	if err := scan(tx.Raw("SELECT code FROM locations WHERE id = ?", locationID), &codes); err != nil {
		return "", err
	}
	if len(codes) == 0 {
		return "", fmt.Errorf("location %d vanished", locationID)
	}
	return codes[0], nil
}

// moveRequest moves an appointment's request to its new time and clinic.
func (db *DB) moveRequest(tx *gorm.DB, live *liveRequest, clinicID int64, req *tracking.Request,
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
	err = tx.Exec("UPDATE requests SET location_id = ?, needed_by = ?, status = ?, "+fulfilled+" WHERE id = ?",
		append(args, live.ID)...).Error
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
func (db *DB) resettleAt(tx *gorm.DB, live *liveRequest, clinicID int64, req *tracking.Request,
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
	if err := tx.Exec("DELETE FROM request_volumes WHERE request_id = ?", live.ID).Error; err != nil {
		return "", nil, err
	}
	return status, events, writeItems(tx, live.ID, st.Items)
}

func (db *DB) requestItemsTx(tx *gorm.DB, id int64) ([]tracking.RequestItem, error) {
	var rows []struct {
		VolumeID  int64
		Named     bool
		ArrivedAt *time.Time
	}
	if err := scan(tx.Raw("SELECT volume_id, named, arrived_at FROM request_volumes WHERE request_id = ?", id), &rows); err != nil {
		return nil, err
	}
	out := make([]tracking.RequestItem, len(rows))
	for i, r := range rows {
		out[i] = requestItem(r.VolumeID, r.Named, r.ArrivedAt)
	}
	return out, nil
}

// FindAppointment finds an appointment by the PAS's id.
func (db *DB) FindAppointment(ctx context.Context, pasID string) (*tracking.Appointment, error) {
	as, err := readAppointments(db.gorm.WithContext(ctx).Raw(
		"SELECT id, pas_id, patient_id, clinic_id, starts_at, status FROM appointments WHERE pas_id = ?", pasID))
	if err != nil {
		return nil, translate(err, "appointment")
	}
	if len(as) == 0 {
		return nil, tracking.Errorf(tracking.ENOTFOUND, "There is no appointment %q.", pasID)
	}
	return as[0], nil
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
