package hl7

import (
	"strings"

	"github.com/casetrack/casetrack/tracking"
)

// Action says what a message asks for one stored value. HL7 updates are
// partial: a field left empty says nothing about it, and only the null
// "" asks for it to be removed. It is tracking's, so that the Service
// applies a message's changes by the same rules as an API's.
type Action = tracking.ChangeAction

// The three things a message can ask of a stored value.
const (
	Keep  = tracking.KeepValue  // absent or empty: leave what is stored
	Clear = tracking.ClearValue // the HL7 null "": remove what is stored
	Set   = tracking.SetValue   // a value: store it
)

// Change is one value a message may set, clear or leave alone.
type Change[T any] = tracking.Change[T]

// Patient is who a message is about and what it says of them, from PID.
type Patient struct {
	// HospitalNumber is from PID-3: upper case, and valid as tracking
	// wants it. Every patient message names one.
	HospitalNumber string
	// NHSNumber is from PID-3: ten digits with a valid check digit.
	NHSNumber  Change[string]
	FamilyName Change[string]        // PID-5.1 of the legal name
	GivenName  Change[string]        // PID-5.2 of the legal name
	BirthDate  Change[tracking.Date] // PID-7
	// DeathDate is PID-29; PID-30 "N" with no PID-29 clears it.
	DeathDate Change[tracking.Date]
	Deceased  Change[bool] // PID-30: Y or N
}

// nhsNumberOID is the NHS number's assigning authority as an ISO OID, which
// some senders give in CX-4.2 instead of "NHS" in CX-4.1.
const nhsNumberOID = "2.16.840.1.113883.2.1.4.1"

// patient reads PID.
func (dec Decoder) patient(m *Message) (Patient, error) {
	pid, err := segment(m, "PID")
	if err != nil {
		return Patient{}, err
	}
	var p Patient
	if p.HospitalNumber, err = dec.hospitalNumber(pid, 3); err != nil {
		return Patient{}, err
	}
	if p.NHSNumber, err = nhsNumber(pid, 3); err != nil {
		return Patient{}, err
	}
	p.FamilyName, p.GivenName = names(pid.Field(5))
	if p.BirthDate, err = dateChange(pid, 7, "birth date"); err != nil {
		return Patient{}, err
	}
	if p.DeathDate, err = dateChange(pid, 29, "death date"); err != nil {
		return Patient{}, err
	}
	if err = p.readDeceased(pid.Field(30)); err != nil {
		return Patient{}, err
	}
	return p, nil
}

// isNHSNumber reports whether a CX identifier is the NHS number: its
// assigning authority (CX-4) is NHS or its type (CX-5) is NH or NHS.
func isNHSNumber(cx Value) bool {
	auth := cx.Component(4)
	typ := strings.ToUpper(text(cx.Component(5)))
	return strings.EqualFold(text(auth), "NHS") || text(auth.Sub(2)) == nhsNumberOID || typ == "NH" || typ == "NHS"
}

// hospitalNumber picks the hospital number from a list of CX identifiers:
// the first that is not the NHS number, or the one whose assigning
// authority is the configured one.
func (dec Decoder) hospitalNumber(s Segment, field int) (string, error) {
	for _, cx := range s.Field(field).Reps() {
		n := strings.ToUpper(text(cx.Component(1)))
		if n == "" || isNHSNumber(cx) {
			continue
		}
		if dec.HospitalAuthority != "" && !strings.EqualFold(text(cx.Component(4)), dec.HospitalAuthority) {
			continue
		}
		if err := tracking.ValidateHospitalNumber(n); err != nil {
			return "", refuse(s.name, field, CodeDataType, "%s-%d: %s", s.name, field, tracking.ErrorMessage(err))
		}
		return n, nil
	}
	if dec.HospitalAuthority != "" {
		return "", refuse(s.name, field, CodeRequiredField, "%s-%d has no hospital number with assigning authority %s.", s.name, field, dec.HospitalAuthority)
	}
	return "", refuse(s.name, field, CodeRequiredField, "%s-%d has no hospital number.", s.name, field)
}

// nhsNumber reads the first NHS number of a list of CX identifiers.
func nhsNumber(s Segment, field int) (Change[string], error) {
	for _, cx := range s.Field(field).Reps() {
		id := cx.Component(1)
		if id.IsEmpty() || !isNHSNumber(cx) {
			continue
		}
		if id.IsNull() {
			return Change[string]{Action: Clear}, nil
		}
		n, err := tracking.NormalizeNHSNumber(id.Text())
		if err != nil {
			return Change[string]{}, refuse(s.name, field, CodeDataType, "%s-%d: %s", s.name, field, tracking.ErrorMessage(err))
		}
		return Change[string]{Action: Set, Value: n}, nil
	}
	return Change[string]{}, nil
}

// names reads family and given name from the legal name (XPN-7 "L") in
// PID-5, else from its first name.
func names(f Value) (family, given Change[string]) {
	if f.IsNull() {
		return Change[string]{Action: Clear}, Change[string]{Action: Clear}
	}
	name := f.Rep(1)
	for _, r := range f.Reps() {
		if strings.EqualFold(text(r.Component(7)), "L") {
			name = r
			break
		}
	}
	return textChange(name.Component(1).Sub(1)), textChange(name.Component(2))
}

func textChange(v Value) Change[string] {
	t := text(v)
	switch {
	case v.IsNull():
		return Change[string]{Action: Clear}
	case t == "":
		return Change[string]{}
	}
	return Change[string]{Action: Set, Value: t}
}

// dateChange reads a date field that holds at least a day.
func dateChange(s Segment, field int, what string) (Change[tracking.Date], error) {
	v := s.Field(field).Component(1)
	t := text(v)
	switch {
	case v.IsNull():
		return Change[tracking.Date]{Action: Clear}, nil
	case t == "":
		return Change[tracking.Date]{}, nil
	}
	d, err := parseDate(t)
	if err != nil {
		return Change[tracking.Date]{}, refuse(s.name, field, CodeDataType, "%s-%d (%s) must be a date written YYYYMMDD.", s.name, field, what)
	}
	return Change[tracking.Date]{Action: Set, Value: d}, nil
}

// readDeceased reads PID-30. A patient said not to have died loses a
// stored death date, unless PID-29 gives one, which contradicts it.
func (p *Patient) readDeceased(v Value) error {
	switch strings.ToUpper(text(v)) {
	case "Y":
		p.Deceased = Change[bool]{Action: Set, Value: true}
	case "N":
		p.Deceased = Change[bool]{Action: Set}
		if p.DeathDate.Action == Set {
			return refuse("PID", 29, CodeDataType, "PID-29 gives a date of death but PID-30 says the patient has not died.")
		}
		p.DeathDate = Change[tracking.Date]{Action: Clear}
	case "":
		if v.IsNull() {
			p.Deceased = Change[bool]{Action: Clear}
		}
	default:
		return refuse("PID", 30, CodeTableValue, "PID-30 (patient death indicator) must be Y or N.")
	}
	return nil
}
