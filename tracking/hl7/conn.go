package hl7

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"time"
)

// serveConn reads, handles and answers one message at a time until the
// sender leaves, falls silent, breaks the framing or the server closes.
func (s *Server) serveConn(c net.Conn, remote netip.AddrPort) {
	defer s.untrack(c)
	r := NewReader(c, positive(s.MaxMessage, MaxMessage))
	for s.await(c, r, remote) {
		c.SetReadDeadline(time.Now().Add(positive(s.ReadTimeout, defaultReadTimeout)))
		if s.closing.Load() {
			return
		}
		frame, err := r.body()
		switch {
		case errors.Is(err, ErrTooLarge):
			s.refuseTooLarge(c, remote, frame)
			return
		case err != nil:
			s.logger().Warn("hl7 connection dropped part way through a message", "remote", remote.String(), "err", err)
			return
		}
		if !s.respond(c, remote, frame) {
			return
		}
	}
}

// await waits, up to the idle timeout, for the next frame to begin.
func (s *Server) await(c net.Conn, r *Reader, remote netip.AddrPort) bool {
	c.SetReadDeadline(time.Now().Add(positive(s.IdleTimeout, defaultIdleTimeout)))
	if s.closing.Load() {
		return false
	}
	err := r.start()
	switch {
	case err == nil:
		return true
	case errors.Is(err, ErrNotMLLP):
		s.logger().Warn("hl7 connection closed: it sends bytes outside MLLP frames", "remote", remote.String())
	case errors.Is(err, os.ErrDeadlineExceeded) && !s.closing.Load():
		s.logger().Info("hl7 connection closed after idling", "remote", remote.String())
	}
	return false
}

// respond hands one frame to the Handler and writes its ACK.
func (s *Server) respond(c net.Conn, remote netip.AddrPort, frame []byte) bool {
	d := &Delivery{Raw: string(frame), Remote: remote, Received: s.now()}
	if m, err := Parse(d.Raw); err != nil {
		d.Err = err
	} else {
		d.Message = m
	}
	err := s.handle(d)
	return s.answer(c, d, err)
}

// answer writes the ACK for a handled delivery and logs its outcome.
func (s *Server) answer(c net.Conn, d *Delivery, err error) bool {
	o := d.Outcome(err)
	attrs := []any{"remote", d.Remote.String(), "status", string(o.Status), "bytes", len(d.Raw)}
	if d.Message != nil {
		h := d.Message.Header()
		attrs = append(attrs, "control_id", h.ControlID, "type", h.Type+"^"+h.Trigger)
	}
	if o.Status != Applied {
		attrs = append(attrs, "code", int(o.Code), "where", o.Location())
	}
	switch {
	case o.Code == CodeInternal:
		s.logger().Error("hl7 message not applied", append(attrs, "err", err)...)
	case o.Status != Applied:
		s.logger().Info("hl7 message not applied", attrs...)
	default:
		s.logger().Debug("hl7 message applied", attrs...)
	}
	c.SetWriteDeadline(time.Now().Add(ackWriteTimeout))
	if werr := WriteMessage(c, d.ACK(err)); werr != nil {
		s.logger().Warn("hl7 ACK not sent", "remote", d.Remote.String(), "err", werr)
		return false
	}
	return true
}

// handle calls the Handler with a deadline; a panic in it is a failure
// answered like any other, not the end of the server.
func (s *Server) handle(d *Delivery) (err error) {
	ctx, cancel := context.WithTimeout(context.Background(), positive(s.HandleTimeout, defaultHandleTimeout))
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			s.logger().Error("hl7 handler panicked", "remote", d.Remote.String(), "panic", p)
			err = errors.New("hl7: handler panicked")
		}
	}()
	return s.Handler.Handle(ctx, d)
}

// refuseTooLarge answers a frame over the limit with AR (naming its
// control id when its first bytes give one), then closes the connection:
// the rest of the frame is read and dropped first, for a few seconds at
// most, so that the close does not reset the connection before the sender
// has read its answer.
func (s *Server) refuseTooLarge(c net.Conn, remote netip.AddrPort, head []byte) {
	max := positive(s.MaxMessage, MaxMessage)
	d := &Delivery{Raw: string(head), Remote: remote, Received: s.now(),
		Err: reject(CodeSegmentSequence, "The message is larger than %d bytes, the most casetrack takes.", max)}
	if !s.answer(c, d, s.handle(d)) {
		return
	}
	if tc, ok := c.(interface{ CloseWrite() error }); ok {
		tc.CloseWrite()
	}
	c.SetReadDeadline(time.Now().Add(drainTimeout))
	io.CopyN(io.Discard, c, drainLimit)
}
