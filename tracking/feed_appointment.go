package tracking

import (
	"context"
	"errors"
	"strings"
)

// ApplyFeedAppointment applies a PAS SIU message and keeps it, once per
// control id, in the transaction that changes the appointment (see
// FeedStore.RecordFeedMessage): S12, S13 and S14 book or move the
// appointment (the same PAS id again moves it) as BookAppointment does,
// creating its patient from PID when casetrack does not hold them; S15
// and S17 cancel it and its request, as CancelAppointment does. An SIU
// never changes the details of a patient casetrack holds, and one that
// may be about someone else is refused (checkFeedIdentity).
func (s *Service) ApplyFeedAppointment(ctx context.Context, m *FeedMessage, in AppointmentInput, hospitalNumber string, c PatientChange) error {
	if in.Status == AppointmentCancelled {
		return s.recordFeed(ctx, m, func(tx PatientTx, f *feedPatients) error {
			return s.cancelFeedAppointment(tx, f, strings.TrimSpace(in.ID))
		})
	}
	appt, cerr := s.checkAppointmentFields(ctx, in)
	var te *Error
	if errors.As(cerr, &te) && te.Field == "clinic" {
		cerr = FieldError("clinic", "The clinic %q (AIL-3) is not a location casetrack holds: add it, or have the PAS send its code, then send the message again.", in.Clinic)
	}
	return s.recordFeed(ctx, m, func(tx PatientTx, f *feedPatients) error {
		if cerr != nil {
			return cerr
		}
		p, err := f.appointmentPatient(tx, hospitalNumber, c)
		if err != nil {
			return err
		}
		a := *appt
		a.PatientID = p.ID
		_, err = tx.SaveAppointment(&a, s.appointmentRequest(feedActor, &a))
		return err
	})
}

// cancelFeedAppointment cancels the appointment stored under the PAS id,
// and its request; an id casetrack does not hold changes nothing.
func (s *Service) cancelFeedAppointment(tx PatientTx, f *feedPatients, pasID string) error {
	old, err := tx.Appointment(pasID)
	if err != nil || old == nil {
		return err
	}
	f.m.PatientID = old.PatientID
	appt := *old
	appt.Status = AppointmentCancelled
	_, err = tx.SaveAppointment(&appt, &Request{RequestedBy: feedActor.Name, CreatedAt: TimestampOf(s.now())})
	return err
}

// appointmentPatient is the patient an SIU is for: the one casetrack
// holds under its hospital number, unchanged, or a new one made from PID.
func (f *feedPatients) appointmentPatient(tx PatientTx, hospitalNumber string, c PatientChange) (*Patient, error) {
	var nhs string
	if c.NHSNumber.Action == SetValue {
		nhs = c.NHSNumber.Value
	}
	stored, byNHS, err := tx.PatientsByNumbers(hospitalNumber, nhs)
	if err != nil {
		return nil, err
	}
	if stored != nil {
		f.m.PatientID = stored.ID
	}
	if err := checkFeedIdentity(stored, byNHS, c); err != nil {
		return nil, err
	}
	if stored != nil {
		return stored, nil
	}
	return f.create(tx, hospitalNumber, c)
}
