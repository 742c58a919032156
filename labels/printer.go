package labels

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"
)

// DefaultTimeout bounds a whole print job when Send is given none: long
// enough for a printer waking from sleep, short enough that a member of
// staff at the print button is told the printer is off rather than left
// waiting.
const DefaultTimeout = 5 * time.Second

// Send delivers ZPL to a Zebra printer's raw port (addr is "host:9100";
// a bare host gets port 9100): it connects, writes everything and closes,
// all within timeout (zero means DefaultTimeout) and ctx. Raw port 9100
// has no reply, so a nil error means the printer accepted the bytes, not
// that labels came out.
//
// Failures are *PrinterError, worded for the person at the print button:
// an unreachable printer is "printer at host:port did not answer within
// 5s".
func Send(ctx context.Context, addr string, zpl []byte, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(addr, "9100")
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return sendError(ctx, addr, timeout, "did not answer", err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := conn.Write(zpl); err != nil {
		return sendError(ctx, addr, timeout, "stopped taking data", err)
	}
	if err := conn.Close(); err != nil {
		return sendError(ctx, addr, timeout, "did not take all the data", err)
	}
	return nil
}

// PrinterError is a print job that did not reach the printer. Unlike most
// errors its message is meant for users: the printer is off, unplugged or
// has the wrong address, and staff can act on that. Err keeps the network
// cause for the log.
type PrinterError struct {
	Addr    string
	Message string
	Err     error
}

// Error returns the message for users.
func (e *PrinterError) Error() string { return e.Message }

// Unwrap gives the network error behind the failure.
func (e *PrinterError) Unwrap() error { return e.Err }

// sendError words a network failure for the person at the print button.
func sendError(ctx context.Context, addr string, timeout time.Duration, what string, cause error) error {
	var msg string
	var dns *net.DNSError
	switch {
	case errors.As(cause, &dns):
		msg = fmt.Sprintf("printer address %s was not found", addr)
	case errors.Is(cause, syscall.ECONNREFUSED):
		msg = fmt.Sprintf("printer at %s refused the connection", addr)
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.Is(cause, os.ErrDeadlineExceeded):
		msg = fmt.Sprintf("printer at %s %s within %v", addr, what, timeout)
	case errors.Is(ctx.Err(), context.Canceled):
		msg = fmt.Sprintf("printing to %s was cancelled", addr)
	default:
		msg = fmt.Sprintf("printer at %s %s: %v", addr, what, cause)
	}
	return &PrinterError{Addr: addr, Message: msg, Err: cause}
}
