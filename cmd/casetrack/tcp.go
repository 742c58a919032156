package main

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// Limits of the TCP line listener: scanner docks send short lines and sit
// idle for long stretches; anything else is not a scanner.
const (
	tcpMaxLine     = 512
	tcpIdleTimeout = 12 * time.Hour
	tcpMaxConns    = 32
)

// lineListener takes raw scanner output over TCP, one barcode per line, as
// scanner docks and Zebra DataWedge "IP output" send it. Such devices send
// no credentials, device id or time, so only configured source addresses
// may connect, every scan is booked as one configured device, and the scan
// time is the arrival time.
type lineListener struct {
	ln      net.Listener
	allow   []netip.Prefix
	device  string
	service *tracking.Service
	logger  *slog.Logger
	slots   chan struct{}
	closing atomic.Bool
	wg      sync.WaitGroup
	mu      sync.Mutex
	conns   map[net.Conn]struct{}
}

// startTCP starts the raw TCP line listener when it is configured.
func (m *Main) startTCP(ctx context.Context) error {
	if m.Config.TCPAddr == "" {
		return nil
	}
	allow, err := parseAllow(m.Config.TCPAllow)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", m.Config.TCPAddr)
	if err != nil {
		return fmt.Errorf("tcp scanner listener on %s: %w", m.Config.TCPAddr, err)
	}
	l := &lineListener{ln: ln, allow: allow, device: m.Config.TCPDevice, service: m.Service,
		logger: m.Logger, slots: make(chan struct{}, tcpMaxConns), conns: map[net.Conn]struct{}{}}
	m.tcp = l
	go l.serve()
	m.Logger.Info("tcp scanner listener", "addr", ln.Addr().String(), "device", l.device)
	return nil
}

// parseAllow reads "127.0.0.1,10.1.0.0/16" into prefixes.
func parseAllow(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range splitList(s) {
		p, err := netip.ParsePrefix(part)
		if !strings.Contains(part, "/") {
			var a netip.Addr
			a, err = netip.ParseAddr(part)
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		if err != nil {
			return nil, fmt.Errorf("--tcp-allow: %q is not an address or CIDR", part)
		}
		out = append(out, p)
	}
	return out, nil
}

func (l *lineListener) allowed(addr net.Addr) bool {
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return false
	}
	for _, p := range l.allow {
		if p.Contains(ap.Addr().Unmap()) {
			return true
		}
	}
	return false
}

func (l *lineListener) serve() {
	for {
		conn, err := l.ln.Accept()
		if err != nil {
			return
		}
		if !l.allowed(conn.RemoteAddr()) {
			l.logger.Warn("tcp scanner connection refused", "remote", conn.RemoteAddr().String())
			conn.Close()
			continue
		}
		select {
		case l.slots <- struct{}{}:
		default:
			l.logger.Warn("tcp scanner connection refused: too many connections")
			conn.Close()
			continue
		}
		l.track(conn, true)
		l.wg.Add(1)
		go l.handle(conn)
	}
}

func (l *lineListener) track(c net.Conn, add bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if add {
		l.conns[c] = struct{}{}
	} else {
		delete(l.conns, c)
	}
}

// handle books each line as a scan and answers with one line per scan,
// which docks ignore and people testing with a terminal can read.
func (l *lineListener) handle(conn net.Conn) {
	defer func() {
		l.track(conn, false)
		conn.Close()
		<-l.slots
		l.wg.Done()
	}()
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, tcpMaxLine), tcpMaxLine)
	a := tracking.Actor{Name: "tcp:" + l.device, Role: tracking.RoleDevice}
	for !l.closing.Load() && conn.SetReadDeadline(time.Now().Add(tcpIdleTimeout)) == nil && sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		fmt.Fprintln(conn, l.record(a, line))
	}
}

func (l *lineListener) record(a tracking.Actor, line string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rec, err := l.service.RecordScan(ctx, a, tracking.Scan{Barcode: line, Device: l.device, Channel: tracking.ChannelTCP})
	if err != nil {
		if tracking.ErrorCode(err) == tracking.EINTERNAL {
			l.logger.Error("tcp scan", "err", err)
		}
		return "ERROR " + tracking.ErrorMessage(err)
	}
	return "OK " + string(rec.Result.Result)
}

// Close stops accepting, ends open connections and waits for scans in
// progress to be stored.
func (l *lineListener) Close() error {
	l.closing.Store(true)
	err := l.ln.Close()
	done := make(chan struct{})
	go func() { l.wg.Wait(); close(done) }()
	// A handler may re-arm its deadline just after we cut it, so keep
	// cutting until every handler has seen closing and returned.
	for {
		l.mu.Lock()
		for c := range l.conns {
			c.SetReadDeadline(time.Now())
		}
		l.mu.Unlock()
		select {
		case <-done:
			return err
		case <-time.After(50 * time.Millisecond):
		}
	}
}
