package hl7

import "strings"

// Header is what MSH says about a message: who sent it to whom, what it is
// and its control id. Applications and facilities are their first
// component (the HD namespace id), which is how senders are configured.
type Header struct {
	SendingApplication   string // MSH-3
	SendingFacility      string // MSH-4
	ReceivingApplication string // MSH-5
	ReceivingFacility    string // MSH-6
	Type                 string // MSH-9.1, upper case: "ADT", "SIU"
	// Trigger is MSH-9.2, upper case ("A08"), or EVN-1 where an older
	// sender left MSH-9.2 empty.
	Trigger string
	// ControlID is MSH-10. With the sending application and facility it
	// identifies the message: a resend carries the same three.
	ControlID    string
	ProcessingID string // MSH-11: P, T or D
	Version      string // MSH-12: "2.3", "2.4", "2.5.1"...
}

// Header reads the message's MSH.
func (m *Message) Header() Header {
	msh, _ := m.Segment("MSH")
	h := Header{
		SendingApplication:   text(msh.Field(3)),
		SendingFacility:      text(msh.Field(4)),
		ReceivingApplication: text(msh.Field(5)),
		ReceivingFacility:    text(msh.Field(6)),
		Type:                 strings.ToUpper(text(msh.Field(9).Component(1))),
		Trigger:              strings.ToUpper(text(msh.Field(9).Component(2))),
		ControlID:            text(msh.Field(10)),
		ProcessingID:         text(msh.Field(11)),
		Version:              text(msh.Field(12)),
	}
	if evn, ok := m.Segment("EVN"); ok && h.Trigger == "" {
		h.Trigger = strings.ToUpper(text(evn.Field(1)))
	}
	return h
}

// text reads a value as trimmed plain text.
func text(v Value) string { return strings.TrimSpace(v.Text()) }
