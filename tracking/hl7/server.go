package hl7

import (
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of a Server's limits.
const (
	defaultMaxConns      = 32
	defaultIdleTimeout   = time.Hour
	defaultReadTimeout   = time.Minute
	defaultHandleTimeout = 30 * time.Second
	ackWriteTimeout      = 30 * time.Second
	// After refusing a frame that is too large, the rest of it is read
	// and thrown away for this long (and at most drainLimit bytes), so
	// that closing does not reset the connection before the AR is read.
	drainTimeout = 5 * time.Second
	drainLimit   = 64 << 20
)

// ErrServerClosed is what Serve returns once Close has been called.
var ErrServerClosed = errors.New("hl7: server closed")

// Server takes HL7 messages over MLLP from the addresses it allows, one at
// a time per connection: it reads a frame, hands it to the Handler, writes
// the ACK, and only then reads the next. The zero value of each setting is
// a sensible default; set them before Serve.
type Server struct {
	Handler Handler
	// Allow lists who may connect; nil admits 127.0.0.1 only (DefaultAllow).
	Allow  []netip.Prefix
	Logger *slog.Logger // nil: slog.Default()
	// MaxMessage is the largest frame taken (MaxMessage when 0); a larger
	// one is answered AR and the connection closed.
	MaxMessage int
	MaxConns   int // connections served at once (32 when 0); more are closed
	// IdleTimeout is how long a connection may wait between messages
	// (an hour when 0); the sender reconnects when it next has one.
	IdleTimeout time.Duration
	// ReadTimeout is how long a frame may take to arrive once begun (a
	// minute when 0).
	ReadTimeout time.Duration
	// HandleTimeout bounds each call to Handle (30 s when 0).
	HandleTimeout time.Duration
	Now           func() time.Time // nil: time.Now

	mu      sync.Mutex
	ln      net.Listener
	conns   map[net.Conn]struct{}
	slots   chan struct{}
	closing atomic.Bool
	wg      sync.WaitGroup
}

// Serve accepts connections on ln until Close, then returns
// ErrServerClosed. Errors accepting that are not the listener closing are
// logged and retried after a pause, as running out of file descriptors
// passes.
func (s *Server) Serve(ln net.Listener) error {
	if err := s.start(ln); err != nil {
		return err
	}
	pause := 5 * time.Millisecond
	for {
		conn, err := ln.Accept()
		switch {
		case s.closing.Load():
			if conn != nil {
				conn.Close()
			}
			return ErrServerClosed
		case errors.Is(err, net.ErrClosed):
			return err
		case err != nil:
			s.logger().Warn("hl7 accept", "err", err)
			time.Sleep(pause)
			pause = min(2*pause, time.Second)
			continue
		}
		pause = 5 * time.Millisecond
		s.accept(conn)
	}
}

func (s *Server) start(ln net.Listener) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing.Load() {
		ln.Close()
		return ErrServerClosed
	}
	if s.ln != nil {
		return errors.New("hl7: Serve called twice")
	}
	if s.Handler == nil {
		return errors.New("hl7: Server has no Handler")
	}
	s.ln, s.conns = ln, map[net.Conn]struct{}{}
	s.slots = make(chan struct{}, positive(s.MaxConns, defaultMaxConns))
	return nil
}

// accept admits a connection or closes it at once.
func (s *Server) accept(conn net.Conn) {
	remote := addrPort(conn.RemoteAddr())
	allow := s.Allow
	if allow == nil {
		allow, _ = ParseAllow(DefaultAllow)
	}
	if !admits(allow, remote.Addr()) {
		s.logger().Warn("hl7 connection refused: address not allowed", "remote", remote.String())
		conn.Close()
		return
	}
	select {
	case s.slots <- struct{}{}:
	default:
		s.logger().Warn("hl7 connection refused: too many connections", "remote", remote.String())
		conn.Close()
		return
	}
	if !s.track(conn) {
		<-s.slots
		conn.Close()
		return
	}
	go s.serveConn(conn, remote)
}

// track registers a connection, unless the server is closing.
func (s *Server) track(conn net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing.Load() {
		return false
	}
	s.conns[conn] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) untrack(conn net.Conn) {
	s.mu.Lock()
	delete(s.conns, conn)
	s.mu.Unlock()
	conn.Close()
	<-s.slots
	s.wg.Done()
}

// Close stops accepting, ends connections waiting for or part way through
// receiving a message (a sender resends what it has no ACK for), lets the
// messages being handled finish and their ACKs go out, and waits for all
// of it: at most HandleTimeout and the time to write an ACK.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closing.Store(true)
	var err error
	if s.ln != nil {
		err = s.ln.Close()
	}
	for c := range s.conns {
		c.SetReadDeadline(time.Now())
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

func (s *Server) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func positive[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

func addrPort(a net.Addr) netip.AddrPort {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.AddrPort()
	}
	ap, _ := netip.ParseAddrPort(a.String())
	return ap
}
