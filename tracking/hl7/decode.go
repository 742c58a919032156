package hl7

import (
	"time"
)

// Decoder reads what casetrack needs out of a parsed message. Its settings
// are the site's: which identifier is the hospital number, which zone the
// PAS writes its times in.
type Decoder struct {
	// HospitalAuthority, when set, picks the hospital number from PID-3
	// (and MRG-1) by its assigning authority (CX-4) instead of taking the
	// first identifier that is not the NHS number.
	HospitalAuthority string
	// Location is the zone of times sent without an offset; nil is the
	// server's own zone.
	Location *time.Location
}

// Event is what a message asks of casetrack: a Patient (create or update),
// a Merge or an Appointment. A type switch tells them apart.
type Event interface{ event() }

func (Patient) event()     {}
func (Merge) event()       {}
func (Appointment) event() {}

// Decode reads the event a message carries. ADT A01, A03, A04, A05, A08,
// A28 and A31 give a Patient; A40 a Merge; SIU S12 to S15 and S17 an
// Appointment. It fails with an *Error: Rejected for a message without a
// control id or of a type or trigger casetrack does not handle, Refused
// for one that lacks what its event needs or carries a value that cannot
// be right (an NHS number failing its check digit, a date that is not one).
func (dec Decoder) Decode(m *Message) (Event, error) {
	h := m.Header()
	if h.ControlID == "" {
		return nil, &Error{Outcome{Status: Rejected, Code: CodeRequiredField, Segment: "MSH", Field: 10,
			Reason: "MSH-10 (message control id) is empty."}}
	}
	switch h.Type {
	case "ADT":
		return dec.adt(m, h.Trigger)
	case "SIU":
		return dec.siu(m, h.Trigger)
	}
	return nil, reject(CodeUnsupportedType, "Message type %q is not handled: casetrack takes ADT and SIU.", h.Type)
}

func (dec Decoder) adt(m *Message, trigger string) (Event, error) {
	switch trigger {
	case "A01", "A03", "A04", "A05", "A08", "A28", "A31":
		return asEvent(dec.patient(m))
	case "A40":
		return asEvent(dec.merge(m))
	}
	return nil, reject(CodeUnsupportedEvent, "ADT^%s is not handled: casetrack takes A01, A03, A04, A05, A08, A28, A31 and A40.", trigger)
}

func (dec Decoder) siu(m *Message, trigger string) (Event, error) {
	switch trigger {
	case "S12", "S13", "S14":
		return asEvent(dec.appointment(m, false))
	case "S15", "S17":
		return asEvent(dec.appointment(m, true))
	}
	return nil, reject(CodeUnsupportedEvent, "SIU^%s is not handled: casetrack takes S12, S13, S14, S15 and S17.", trigger)
}

// asEvent returns an event, or no event with the error that stopped it.
func asEvent[E Event](e E, err error) (Event, error) {
	if err != nil {
		return nil, err
	}
	return e, nil
}

// segment returns a segment the event needs, or the refusal for its absence.
func segment(m *Message, name string) (Segment, error) {
	s, ok := m.Segment(name)
	if !ok {
		return s, refuse(name, 0, CodeSegmentSequence, "The %s segment is missing.", name)
	}
	return s, nil
}
