package hl7

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/casetrack/casetrack/tracking"
)

// Status is how a message was taken, as its ACK's MSA-1 says it.
type Status string

// The three answers of original-mode acknowledgement.
const (
	Applied  Status = "AA" // the message was applied (or had been already)
	Refused  Status = "AE" // understood but refused, or not applied this time: nothing changed
	Rejected Status = "AR" // not an HL7 message casetrack can read, or of a type it does not handle
)

// Code is an HL7 error condition (table 0357), the code an ERR segment
// carries so that an interface engine can sort failures without reading
// their text.
type Code int

// The conditions casetrack reports.
const (
	CodeSegmentSequence  Code = 100 // not HL7, or a required segment missing
	CodeRequiredField    Code = 101 // a required field or identifier missing
	CodeDataType         Code = 102 // a value that does not read as its type
	CodeTableValue       Code = 103 // a coded value outside its table
	CodeUnsupportedType  Code = 200 // a message type casetrack does not take
	CodeUnsupportedEvent Code = 201 // a trigger event casetrack does not take
	CodeUnknownKey       Code = 204 // names something casetrack does not hold
	CodeDuplicateKey     Code = 205 // clashes with what casetrack holds
	CodeInternal         Code = 207 // casetrack failed: send the message again
)

var codeText = map[Code]string{
	CodeSegmentSequence:  "Segment sequence error",
	CodeRequiredField:    "Required field missing",
	CodeDataType:         "Data type error",
	CodeTableValue:       "Table value not found",
	CodeUnsupportedType:  "Unsupported message type",
	CodeUnsupportedEvent: "Unsupported event code",
	CodeUnknownKey:       "Unknown key identifier",
	CodeDuplicateKey:     "Duplicate key identifier",
	CodeInternal:         "Application internal error",
}

// Text returns the condition's name from table 0357.
func (c Code) Text() string { return codeText[c] }

// Outcome is what became of one message: everything its ACK says, in a
// form a handler can also store beside the message.
type Outcome struct {
	Status Status
	Code   Code // 0 when applied
	// Segment and Field say where the fault is ("PID", 3), when somewhere.
	Segment string
	Field   int
	// Reason is for the sender's interface team and casetrack's records
	// managers. It names what is wrong, never patient data beyond what the
	// message itself carried, and is never logged.
	Reason string
}

// Location returns where the fault is, as HL7 writes it ("PID-3"), or "".
func (o Outcome) Location() string {
	if o.Segment == "" {
		return ""
	}
	if o.Field == 0 {
		return o.Segment
	}
	return o.Segment + "-" + strconv.Itoa(o.Field)
}

// Error is a fault found in a message while reading it: it carries the
// whole Outcome, so the answer is decided where the fault was found.
type Error struct{ Outcome }

func (e *Error) Error() string {
	if loc := e.Location(); loc != "" {
		return fmt.Sprintf("hl7 %s (%s): %s", e.Status, loc, e.Reason)
	}
	return fmt.Sprintf("hl7 %s: %s", e.Status, e.Reason)
}

// reject is the fault of a message that cannot be read or is not handled.
func reject(code Code, format string, args ...any) *Error {
	return &Error{Outcome{Status: Rejected, Code: code, Reason: fmt.Sprintf(format, args...)}}
}

// refuse is the fault of a message that was read but cannot be applied.
func refuse(segment string, field int, code Code, format string, args ...any) *Error {
	return &Error{Outcome{Status: Refused, Code: code, Segment: segment, Field: field, Reason: fmt.Sprintf(format, args...)}}
}

// OutcomeOf maps what a Handler returned onto the answer, in one place as
// tracking/web maps errors onto HTTP: nil is applied; an *Error answers
// as it says; a tracking.Error the sender can act on (invalid, not found,
// conflict) is refused with its message; anything else is a failure of
// casetrack's, refused with code 207 so that the sender sends it again.
func OutcomeOf(err error) Outcome {
	var he *Error
	var te *tracking.Error
	switch {
	case err == nil:
		return Outcome{Status: Applied}
	case errors.As(err, &he):
		return he.Outcome
	case errors.As(err, &te) && trackingCodes[te.Code] != 0:
		o := Outcome{Status: Refused, Code: trackingCodes[te.Code], Reason: te.Message}
		if loc, ok := fieldLocations[te.Field]; ok {
			o.Segment, o.Field = loc.segment, loc.field
		}
		return o
	}
	return Outcome{Status: Refused, Code: CodeInternal, Reason: "Internal error: the message was not applied; send it again."}
}

var trackingCodes = map[string]Code{
	tracking.EINVALID:  CodeDataType,
	tracking.ENOTFOUND: CodeUnknownKey,
	tracking.ECONFLICT: CodeDuplicateKey,
}

// fieldLocations says where in an ADT or SIU message the patient fields
// that tracking names in its errors come from.
var fieldLocations = map[string]struct {
	segment string
	field   int
}{
	"hospital_number": {"PID", 3},
	"nhs_number":      {"PID", 3},
	"family_name":     {"PID", 5},
	"given_name":      {"PID", 5},
	"birth_date":      {"PID", 7},
	"death_date":      {"PID", 29},
	"id":              {"SCH", 1},
	"clinic":          {"AIL", 3},
	"start":           {"SCH", 11},
}
