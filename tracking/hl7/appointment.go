package hl7

import "time"

// Appointment is an SIU message: a clinic appointment booked, moved or
// cancelled, and the patient it is for.
type Appointment struct {
	// ID is the PAS's id for the appointment: SCH-1.1, else SCH-2.1.
	ID string
	// Clinic is AIL-3.1 of the first AIL that names a location: the code
	// of a casetrack location. Empty when cancelled.
	Clinic string
	// Start is SCH-11.4, else AIL-6, else TQ1-7. Zero when cancelled.
	Start time.Time
	// Cancelled is set by S15 (cancelled) and S17 (deleted).
	Cancelled bool
	// Patient is from PID. An SIU creates the patient when new and does
	// not change one casetrack holds.
	Patient Patient
}

// appointment reads an SIU. A cancellation needs only the appointment's
// id (and PID); a booking needs its clinic and start too.
func (dec Decoder) appointment(m *Message, cancelled bool) (Appointment, error) {
	sch, err := segment(m, "SCH")
	if err != nil {
		return Appointment{}, err
	}
	a := Appointment{Cancelled: cancelled}
	if a.ID = text(sch.Field(1).Component(1)); a.ID == "" {
		a.ID = text(sch.Field(2).Component(1))
	}
	if a.ID == "" {
		return Appointment{}, refuse("SCH", 1, CodeRequiredField, "SCH-1 or SCH-2 must give the appointment's id.")
	}
	if a.Patient, err = dec.patient(m); err != nil {
		return Appointment{}, err
	}
	if cancelled {
		return a, nil
	}
	ail, err := clinicResource(m)
	if err != nil {
		return Appointment{}, err
	}
	a.Clinic = text(ail.Field(3).Component(1))
	if a.Start, err = dec.start(sch, ail, m); err != nil {
		return Appointment{}, err
	}
	return a, nil
}

// clinicResource returns the first AIL that names a location.
func clinicResource(m *Message) (Segment, error) {
	found := false
	for _, s := range m.Segments() {
		if s.name != "AIL" {
			continue
		}
		found = true
		if text(s.Field(3).Component(1)) != "" {
			return s, nil
		}
	}
	if !found {
		return Segment{}, refuse("AIL", 0, CodeSegmentSequence, "The AIL segment is missing.")
	}
	return Segment{}, refuse("AIL", 3, CodeRequiredField, "AIL-3 must give the clinic's location code.")
}

// start reads the appointment's start from the first place that gives it.
func (dec Decoder) start(sch, ail Segment, m *Message) (time.Time, error) {
	tq1, _ := m.Segment("TQ1")
	for _, c := range []struct {
		seg   Segment
		field int
		v     Value
	}{
		{sch, 11, sch.Field(11).Component(4)},
		{ail, 6, ail.Field(6)},
		{tq1, 7, tq1.Field(7)},
	} {
		s := text(c.v)
		if s == "" {
			continue
		}
		t, n, err := parseTime(s, dec.Location)
		if err != nil || n < 8 {
			return time.Time{}, refuse(c.seg.name, c.field, CodeDataType, "%s-%d (start) must be a date and time written YYYYMMDDHHMM, with an offset (+HHMM) if not local.", c.seg.name, c.field)
		}
		return t, nil
	}
	return time.Time{}, refuse("SCH", 11, CodeRequiredField, "The start time is missing: SCH-11.4, AIL-6 and TQ1-7 are all empty.")
}
