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

// Limits of the TCP line listener: scanner docks send short lines, one
// connection each, and reconnect when a connection they left idle has
// been closed; anything else is not a scanner. The idle time and the
// connections an address may hold are configured (--tcp-idle,
// --tcp-per-address), so idle connections, or many from one place,
// cannot take every slot and lock the docks out.
const (
	tcpMaxLine           = 512
	tcpMaxConns          = 32
	tcpWriteTimeout      = 10 * time.Second
	defaultTCPIdle       = 10 * time.Minute
	defaultTCPPerAddress = 4
)

// lineListener takes raw scanner output over TCP, one barcode per line, as
// scanner docks and Zebra DataWedge "IP output" send it. Such devices send
// no credentials, device id or time, so only configured source addresses
// may connect, every scan is booked as one configured device, and the scan
// time is the arrival time.
type lineListener struct {
	ln         net.Listener
	allow      []netip.Prefix
	device     string
	idle       time.Duration
	perAddress int
	service    *tracking.Service
	logger     *slog.Logger
	closing    atomic.Bool
	wg         sync.WaitGroup
	mu         sync.Mutex
	conns      map[net.Conn]netip.Addr
	byAddr     map[netip.Addr]int
}

// startTCP starts the raw TCP line listener when it is configured.
func (m *Main) startTCP(ctx context.Context) error {
	if m.Config.TCPAddr == "" {
		return nil
	}
	l, err := listenLines(m.Config, m.Service, m.Logger)
	if err != nil {
		return err
	}
	m.tcp = l
	m.Logger.Info("tcp scanner listener", "addr", l.ln.Addr().String(), "device", l.device)
	return nil
}

// listenLines starts a line listener as c configures it.
func listenLines(c Config, service *tracking.Service, logger *slog.Logger) (*lineListener, error) {
	allow, err := parseAllow(c.TCPAllow)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", c.TCPAddr)
	if err != nil {
		return nil, fmt.Errorf("tcp scanner listener on %s: %w", c.TCPAddr, err)
	}
	l := &lineListener{ln: ln, allow: allow, device: c.TCPDevice, idle: c.TCPIdle, perAddress: c.TCPPerAddress,
		service: service, logger: logger, conns: map[net.Conn]netip.Addr{}, byAddr: map[netip.Addr]int{}}
	go l.serve()
	return l, nil
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
	a, ok := remoteAddr(addr)
	if !ok {
		return false
	}
	for _, p := range l.allow {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// remoteAddr is the address a connection comes from, without its port.
func remoteAddr(addr net.Addr) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(addr.String())
	return ap.Addr().Unmap(), err == nil
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
		if why := l.admit(conn); why != "" {
			l.logger.Warn("tcp scanner connection refused: "+why, "remote", conn.RemoteAddr().String())
			refuse(conn, why)
			continue
		}
		go l.handle(conn)
	}
}

// admit counts a new connection in, or says why there is no room for it:
// the listener holds at most tcpMaxConns, and one address perAddress.
// Under the lock Close takes to start closing, so Close waits for every
// connection admitted.
func (l *lineListener) admit(c net.Conn) string {
	a, _ := remoteAddr(c.RemoteAddr())
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.closing.Load():
		return "closing"
	case len(l.conns) >= tcpMaxConns:
		return "too many connections"
	case l.byAddr[a] >= l.perAddress:
		return "too many connections from this address"
	}
	l.conns[c] = a
	l.byAddr[a]++
	l.wg.Add(1)
	return ""
}

// release counts a connection out.
func (l *lineListener) release(c net.Conn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.conns[c]
	delete(l.conns, c)
	if l.byAddr[a]--; l.byAddr[a] <= 0 {
		delete(l.byAddr, a)
	}
}

// refuse tells whoever is testing by hand why the connection closes.
func refuse(c net.Conn, why string) {
	c.SetWriteDeadline(time.Now().Add(time.Second))
	fmt.Fprintln(c, "ERROR "+why)
	c.Close()
}

// handle books each line as a scan and answers with one line per scan,
// which docks ignore and people testing with a terminal can read.
func (l *lineListener) handle(conn net.Conn) {
	defer func() {
		l.release(conn)
		conn.Close()
		l.wg.Done()
	}()
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, tcpMaxLine), tcpMaxLine)
	a := tracking.Actor{Name: "tcp:" + l.device, Role: tracking.RoleDevice, Kind: tracking.ActorSystem}
	for !l.closing.Load() && conn.SetReadDeadline(time.Now().Add(l.idle)) == nil && sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		// A peer that sends but never reads must not hold its slot
		// forever once the answers fill its window.
		conn.SetWriteDeadline(time.Now().Add(tcpWriteTimeout))
		if _, err := fmt.Fprintln(conn, l.record(a, line)); err != nil {
			return
		}
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
	l.mu.Lock()
	l.closing.Store(true)
	l.mu.Unlock()
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
