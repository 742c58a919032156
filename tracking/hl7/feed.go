package hl7

import (
	"context"
	"fmt"

	"github.com/casetrack/casetrack/tracking"
)

// Feed is the Handler of casetrack's PAS feed: it decodes each message and
// has tracking.Service apply it, which keeps the message with its outcome
// and ACK in the same transaction (once per control id). A message that is
// not applied is kept too, with the answer it got, so that every message
// can be accounted for.
type Feed struct {
	Service *tracking.Service
	Decoder Decoder
}

// Handle applies one message and keeps it.
func (f *Feed) Handle(ctx context.Context, d *Delivery) error {
	m := feedMessage(d)
	err := f.apply(ctx, d, m)
	if err == nil {
		return nil
	}
	o := d.Outcome(err)
	m.Status, m.Code, m.Where, m.Reason, m.ACK = string(o.Status), int(o.Code), o.Location(), o.Reason, string(d.ACK(err))
	if kerr := f.Service.KeepFeedMessage(ctx, m); kerr != nil {
		return fmt.Errorf("hl7: keeping a message that was not applied: %w", kerr)
	}
	return err
}

// apply decodes a message and asks the Service for what it says.
func (f *Feed) apply(ctx context.Context, d *Delivery, m *tracking.FeedMessage) error {
	if d.Message == nil {
		return d.Err
	}
	ev, err := f.Decoder.Decode(d.Message)
	if err != nil {
		return err
	}
	m.Status, m.ACK = string(Applied), string(d.ACK(nil))
	switch e := ev.(type) {
	case Patient:
		return f.Service.ApplyFeedPatient(ctx, m, e.HospitalNumber, patientChange(e))
	case Merge:
		return f.Service.ApplyFeedMerge(ctx, m, e.Survivor.HospitalNumber, patientChange(e.Survivor), e.DuplicateHospitalNumber)
	case Appointment:
		return f.Service.ApplyFeedAppointment(ctx, m, appointmentInput(e), e.Patient.HospitalNumber, patientChange(e.Patient))
	}
	return reject(CodeUnsupportedEvent, "%s^%s is not handled by casetrack.", d.Message.Header().Type, d.Message.Header().Trigger)
}

// appointmentInput is what an SIU says of its appointment, as the Service
// takes appointments from every source.
func appointmentInput(a Appointment) tracking.AppointmentInput {
	in := tracking.AppointmentInput{ID: a.ID, Clinic: a.Clinic, StartAt: a.Start, Status: tracking.AppointmentBooked}
	if a.Cancelled {
		in.Status = tracking.AppointmentCancelled
	}
	return in
}

// patientChange is what a message says of a patient, as the Service
// takes it. The death indicator needs no field of its own: "N" has
// already cleared the death date, and "Y" without a date changes nothing
// casetrack keeps.
func patientChange(p Patient) tracking.PatientChange {
	return tracking.PatientChange{NHSNumber: p.NHSNumber, FamilyName: p.FamilyName, GivenName: p.GivenName,
		BirthDate: p.BirthDate, DeathDate: p.DeathDate}
}

// feedMessage is a delivery as the Service keeps it: what its header says
// (read from its first line when the whole cannot be parsed) and its text.
func feedMessage(d *Delivery) *tracking.FeedMessage {
	m := &tracking.FeedMessage{ReceivedAt: d.Received, Remote: d.Remote.String(), Raw: d.Raw}
	msg := d.Message
	if msg != nil {
		m.Raw = msg.Raw()
	} else {
		msg = headerOnly(d.Raw)
	}
	if msg != nil {
		h := msg.Header()
		m.Sender, m.Facility, m.ControlID = h.SendingApplication, h.SendingFacility, h.ControlID
		if m.Type = h.Type; h.Trigger != "" {
			m.Type += "^" + h.Trigger
		}
	}
	return m
}
