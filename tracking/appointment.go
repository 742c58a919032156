package tracking

import (
	"context"
	"errors"
	"strings"
	"time"
)

// AppointmentStatus is whether a clinic appointment stands.
type AppointmentStatus string

// The statuses of an appointment the PAS sends.
const (
	AppointmentBooked    AppointmentStatus = "booked"
	AppointmentCancelled AppointmentStatus = "cancelled"
)

// Appointment is a clinic appointment as the PAS books it. Each booked one
// holds a request for the patient's notes at the clinic, needed by the
// start less the lead time.
type Appointment struct {
	ID        int64
	PASID     string
	PatientID int64
	ClinicID  int64
	Start     time.Time
	Status    AppointmentStatus
}

// AppointmentOutcome says what sending an appointment did; the counts of
// an upload are counts of these.
type AppointmentOutcome string

// The outcomes of an appointment sent.
const (
	OutcomeAccepted  AppointmentOutcome = "accepted"
	OutcomeUpdated   AppointmentOutcome = "updated"
	OutcomeCancelled AppointmentOutcome = "cancelled"
	// OutcomeUnchanged is an appointment sent again as it was: it counts
	// in none of the upload's counts.
	OutcomeUnchanged AppointmentOutcome = "unchanged"
)

// RequestAction is what an appointment sent does to its request.
type RequestAction int

// The actions on an appointment's request.
const (
	RequestKeep    RequestAction = iota // nothing changes
	RequestNew                          // the appointment holds a new request
	RequestMove                         // new time or clinic: the request follows
	RequestCancel                       // the appointment is off: so is the request
	RequestReplace                      // another patient: cancel the old request, hold a new one
)

// AppointmentPlan is what an appointment sent does.
type AppointmentPlan struct {
	Outcome AppointmentOutcome
	Request RequestAction
}

// PlanAppointment decides what an appointment sent by the PAS does, given
// the one stored under its id (nil when the id is new) and whether that one
// holds a live (open or fulfilled) request. The store calls it under lock.
func PlanAppointment(old *Appointment, live bool, in *Appointment) AppointmentPlan {
	booked := in.Status == AppointmentBooked
	switch {
	case old == nil && booked:
		return AppointmentPlan{OutcomeAccepted, RequestNew}
	case old == nil:
		return AppointmentPlan{OutcomeCancelled, RequestKeep}
	case old.PatientID == in.PatientID && old.ClinicID == in.ClinicID && old.Start.Equal(in.Start) && old.Status == in.Status:
		if booked && !live {
			return AppointmentPlan{OutcomeUpdated, RequestNew}
		}
		return AppointmentPlan{OutcomeUnchanged, RequestKeep}
	case !booked && old.Status == AppointmentBooked:
		return AppointmentPlan{OutcomeCancelled, RequestCancel}
	case !booked:
		return AppointmentPlan{OutcomeUpdated, RequestKeep}
	case !live || old.Status == AppointmentCancelled:
		return AppointmentPlan{OutcomeUpdated, RequestNew}
	case old.PatientID != in.PatientID:
		return AppointmentPlan{OutcomeUpdated, RequestReplace}
	}
	return AppointmentPlan{OutcomeUpdated, RequestMove}
}

// AppointmentStore is the part of Store that keeps appointments and the
// pull lists built from them.
type AppointmentStore interface {
	// SaveAppointment stores an appointment as sent and keeps its request
	// in step, in one transaction: under lock it reads the appointment
	// stored under the same PAS id and its live request, follows
	// PlanAppointment, and for a new or moved request settles it against
	// the patient's volumes as a new request is. req is the request a
	// new one would be (patient, clinic, need, who).
	SaveAppointment(ctx context.Context, a *Appointment, req *Request) (AppointmentOutcome, error)
	// FindAppointment finds an appointment by the PAS's id.
	FindAppointment(ctx context.Context, pasID string) (*Appointment, error)
	// FindClinicRequests lists the open and fulfilled requests held by
	// booked appointments starting in [from, to) (at one clinic, when
	// clinicID is set), as FindRequests gives them, with Start set.
	FindClinicRequests(ctx context.Context, from, to time.Time, clinicID int64) ([]*Request, error)
}

// AppointmentInput is an appointment as the PAS sends it, by JSON, CSV or
// the HL7 feed.
type AppointmentInput struct {
	ID        string            `json:"id"`
	Clinic    string            `json:"clinic"`
	Patient   string            `json:"patient"`
	NHSNumber string            `json:"nhs_number"`
	Start     string            `json:"start"`
	Status    AppointmentStatus `json:"status"`
	// StartAt is the start as a time, for a caller that has one (the HL7
	// feed); Start is read only when it is zero.
	StartAt time.Time `json:"-"`
	// Line is the file line of an uploaded CSV row, for its errors.
	Line int `json:"-"`
}

// DefaultRequestLead is how long before an appointment its notes must be
// at the clinic.
const DefaultRequestLead = time.Hour

func (s *Service) requestLead() time.Duration {
	if s.RequestLead > 0 {
		return s.RequestLead
	}
	return DefaultRequestLead
}

// BookAppointment takes one appointment from the PAS: new, moved, or
// cancelled. An upload calls it for each row; the HL7 feed's SIU takes
// the same path inside its message's transaction (ApplyFeedAppointment).
func (s *Service) BookAppointment(ctx context.Context, a Actor, in AppointmentInput) (AppointmentOutcome, error) {
	appt, err := s.checkAppointment(ctx, in)
	if err != nil {
		return "", err
	}
	return s.Store.SaveAppointment(ctx, appt, s.appointmentRequest(a, appt))
}

// appointmentRequest is the request a booked appointment holds: the
// patient's notes at the clinic by the start less the lead time.
func (s *Service) appointmentRequest(a Actor, appt *Appointment) *Request {
	return &Request{PatientID: appt.PatientID, LocationID: appt.ClinicID, Priority: PriorityRoutine,
		NeededBy: TimestampOf(appt.Start.Add(-s.requestLead())), AllVolumes: true, Note: "Clinic appointment",
		RequestedBy: a.Name, CreatedAt: TimestampOf(s.now())}
}

// CancelAppointment cancels an appointment by the PAS's id, as HL7 S15 and
// S17 do (ApplyFeedAppointment): its request is cancelled too. An id casetrack does not hold
// changes nothing.
func (s *Service) CancelAppointment(ctx context.Context, a Actor, pasID string) (AppointmentOutcome, error) {
	old, err := s.Store.FindAppointment(ctx, strings.TrimSpace(pasID))
	if ErrorCode(err) == ENOTFOUND {
		return OutcomeUnchanged, nil
	}
	if err != nil {
		return "", err
	}
	appt := *old
	appt.Status = AppointmentCancelled
	return s.Store.SaveAppointment(ctx, &appt, &Request{RequestedBy: a.Name, CreatedAt: TimestampOf(s.now())})
}

// checkAppointment validates an appointment sent and finds its patient and
// clinic.
func (s *Service) checkAppointment(ctx context.Context, in AppointmentInput) (*Appointment, error) {
	appt, err := s.checkAppointmentFields(ctx, in)
	if err != nil {
		return nil, err
	}
	appt.PatientID, err = s.appointmentPatient(ctx, in)
	return appt, err
}

// checkAppointmentFields validates an appointment sent and finds its
// clinic: all but its patient.
func (s *Service) checkAppointmentFields(ctx context.Context, in AppointmentInput) (*Appointment, error) {
	appt := &Appointment{PASID: strings.TrimSpace(in.ID), Status: in.Status}
	if appt.PASID == "" || len(appt.PASID) > 100 || !printable(appt.PASID) {
		return nil, FieldError("id", "Each appointment needs the PAS's id (at most 100 characters).")
	}
	if appt.Status == "" {
		appt.Status = AppointmentBooked
	}
	if appt.Status != AppointmentBooked && appt.Status != AppointmentCancelled {
		return nil, FieldError("status", "Status %q is not booked or cancelled.", in.Status)
	}
	clinic, err := s.FindLocation(ctx, in.Clinic)
	if err != nil || strings.TrimSpace(in.Clinic) == "" {
		return nil, FieldError("clinic", "Clinic %q names no location.", in.Clinic)
	}
	appt.ClinicID = clinic.ID
	switch {
	case !in.StartAt.IsZero():
		appt.Start = in.StartAt
	case strings.TrimSpace(in.Start) == "":
		return nil, FieldError("start", "The appointment's start is required.")
	default:
		if appt.Start, err = ParseLocalTime("start", in.Start, s.zone()); err != nil {
			return nil, err
		}
	}
	return appt, nil
}

// appointmentPatient finds the patient by hospital number, NHS number or
// both (which must then name the same patient).
func (s *Service) appointmentPatient(ctx context.Context, in AppointmentInput) (int64, error) {
	var id int64
	if hn := normalizeCode(in.Patient); hn != "" {
		p, err := s.Store.FindPatientByHospitalNumber(ctx, hn)
		if err != nil {
			return 0, notFoundAsInvalid(err, "patient", "No patient has the hospital number %q.", in.Patient)
		}
		id = p.ID
	}
	if strings.TrimSpace(in.NHSNumber) != "" {
		nhs, err := NormalizeNHSNumber(in.NHSNumber)
		if err != nil {
			return 0, err
		}
		ps, err := s.Store.FindPatients(ctx, PatientFilter{NHSNumber: nhs, Limit: 1})
		switch {
		case err != nil:
			return 0, err
		case len(ps) == 0:
			return 0, FieldError("nhs_number", "No patient has the NHS number %s.", FormatNHSNumber(nhs))
		case id != 0 && ps[0].ID != id:
			return 0, FieldError("nhs_number", "The NHS number and the hospital number name different patients.")
		}
		id = ps[0].ID
	}
	if id == 0 {
		return 0, FieldError("patient", "Give the patient's hospital number or NHS number.")
	}
	return id, nil
}

// AppointmentReport is what an upload of appointments did: each one sent
// counts once, or is in Errors, or (sent again unchanged) in neither.
type AppointmentReport struct {
	Accepted  int                `json:"accepted"`
	Updated   int                `json:"updated"`
	Cancelled int                `json:"cancelled"`
	Errors    []AppointmentError `json:"errors"`
}

// AppointmentError is why one appointment of an upload was refused: by
// file line for a CSV, by index for JSON.
type AppointmentError struct {
	Line    int    `json:"line,omitempty"`
	Index   *int   `json:"index,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// ImportAppointments takes a list of appointments one at a time: the good
// ones go in whatever is wrong with the others. Only a failure of the
// store stops it.
func (s *Service) ImportAppointments(ctx context.Context, a Actor, ins []AppointmentInput) (AppointmentReport, error) {
	rep := AppointmentReport{Errors: []AppointmentError{}}
	for i, in := range ins {
		out, err := s.BookAppointment(ctx, a, in)
		if ErrorCode(err) == EINTERNAL {
			return rep, err
		}
		if err != nil {
			e := AppointmentError{Line: in.Line, Message: ErrorMessage(err)}
			var te *Error
			if errors.As(err, &te) {
				e.Field = te.Field
			}
			if in.Line == 0 {
				e.Index = &i
			}
			rep.Errors = append(rep.Errors, e)
			continue
		}
		switch out {
		case OutcomeAccepted:
			rep.Accepted++
		case OutcomeUpdated:
			rep.Updated++
		case OutcomeCancelled:
			rep.Cancelled++
		}
	}
	return rep, nil
}
