package hl7

import (
	"context"
	"net/netip"
	"strings"
	"time"
)

// Handler applies the messages a Server receives. The wiring implements it
// over tracking.Service, which owns idempotency (a control id already
// applied is answered again and changes nothing) and keeps every message
// with its outcome and ACK.
type Handler interface {
	// Handle applies one message and returns why it was not applied, or
	// nil; OutcomeOf(err) decides the answer. It is called for every frame,
	// even one that is not a message casetrack can read (Message nil, Err
	// saying why: the answer is then AR whatever Handle returns), so that
	// every frame can be kept. d.ACK(err) gives the exact bytes the server
	// will send, so the message, its outcome and its ACK can be stored in
	// the same transaction that applies it.
	Handle(ctx context.Context, d *Delivery) error
}

// HandlerFunc lets a function be a Handler.
type HandlerFunc func(ctx context.Context, d *Delivery) error

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, d *Delivery) error { return f(ctx, d) }

// Delivery is one frame as received, parsed if it could be.
type Delivery struct {
	// Raw is the frame's content, byte for byte (only its first MaxMessage
	// bytes for a frame refused as too large). It may not be UTF-8 and may
	// hold control characters: Message.Raw is the cleaned text.
	Raw string
	// Message is Raw parsed, or nil when it is not an HL7 message.
	Message *Message
	// Err says why Message is nil: an *Error whose Status is Rejected.
	Err      error
	Remote   netip.AddrPort
	Received time.Time
}

// Outcome returns what the server answers when Handle returns err.
func (d *Delivery) Outcome(err error) Outcome {
	if d.Message == nil {
		return OutcomeOf(d.Err)
	}
	return OutcomeOf(err)
}

// ACK returns the bytes the server sends (inside MLLP framing) when Handle
// returns err: the same for the same delivery and error, every time.
func (d *Delivery) ACK(err error) []byte {
	m := d.Message
	if m == nil {
		m = headerOnly(d.Raw)
	}
	return ACK(m, d.Outcome(err), d.Received)
}

// headerOnly reads the MSH of a message that could not be parsed whole, so
// that its AR can still name its control id and sender; nil when even MSH
// cannot be read.
func headerOnly(raw string) *Message {
	raw = strings.TrimLeft(raw, "\ufeff \t\r\n")
	if i := strings.IndexAny(raw, "\r\n"); i >= 0 {
		raw = raw[:i]
	}
	m, err := Parse(raw)
	if err != nil {
		return nil
	}
	return m
}
