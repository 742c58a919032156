package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// tcpLines starts a line listener on a free loopback port beside the
// server, with an idle time and a limit an address that the flags would
// refuse (they want minutes), so a test sees them act.
func tcpLines(t *testing.T, s *testServer, idle time.Duration, perAddress int) string {
	t.Helper()
	l, err := listenLines(Config{TCPAddr: "127.0.0.1:0", TCPDevice: "dock-1", TCPAllow: "127.0.0.0/8",
		TCPIdle: idle, TCPPerAddress: perAddress}, s.m.Service, s.m.Logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l.ln.Addr().String()
}

// dialFrom connects to addr from the loopback address from (any of
// 127.0.0.0/8 is this machine), as a dock with that address would.
func dialFrom(t *testing.T, from, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(20 * time.Second))
	return c
}

// scanLine sends one barcode and returns the answer line, or the error
// that ended the connection instead.
func scanLine(c net.Conn, barcode string) (string, error) {
	if _, err := fmt.Fprintf(c, "%s\r\n", barcode); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return strings.TrimSpace(line), err
}

// One address holds at most its share of the listener: a further
// connection from it is refused with a line saying why, while another
// address still gets in.
func TestTCPPerAddressLimit(t *testing.T) {
	s := startServer(t, "sqlite")
	addr := tcpLines(t, s, time.Minute, 2)
	for i := range 2 {
		if got, err := scanLine(dialFrom(t, "127.0.0.1", addr), "V000000000"); !strings.HasPrefix(got, "OK") {
			t.Fatalf("connection %d from 127.0.0.1: %q, %v", i+1, got, err)
		}
	}
	third := dialFrom(t, "127.0.0.1", addr)
	if got, err := io.ReadAll(third); !strings.Contains(string(got), "ERROR too many connections from this address") {
		t.Errorf("third connection from 127.0.0.1: %q, %v; want it refused", got, err)
	}
	if got, err := scanLine(dialFrom(t, "127.0.0.2", addr), "V000000000"); !strings.HasPrefix(got, "OK") {
		t.Errorf("a dock at 127.0.0.2 beside them: %q, %v", got, err)
	}
}

// A connection that sends nothing for the idle time is closed, and its
// place is free again: a connection that found the address full before
// gets in after.
func TestTCPIdleTimeout(t *testing.T) {
	s := startServer(t, "sqlite")
	addr := tcpLines(t, s, 300*time.Millisecond, 1)
	idle := dialFrom(t, "127.0.0.1", addr)
	refused := dialFrom(t, "127.0.0.1", addr)
	if got, _ := io.ReadAll(refused); !strings.HasPrefix(string(got), "ERROR") {
		t.Fatalf("second connection while the first is open: %q, want it refused", got)
	}
	if got, err := io.ReadAll(idle); len(got) != 0 || err != nil {
		t.Fatalf("idle connection: read %q, %v; want it closed by the server", got, err)
	}
	// The server counts a connection out before it closes it, so the
	// dock reconnecting after the close finds its place free.
	if got, err := scanLine(dialFrom(t, "127.0.0.1", addr), "V000000000"); !strings.HasPrefix(got, "OK") {
		t.Errorf("after the idle connection closed: %q, %v", got, err)
	}
}

func TestTCPConfig(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		env        map[string]string
		idle       time.Duration
		perAddress int
		err        string
	}{
		{name: "defaults", args: []string{"serve"}, idle: 10 * time.Minute, perAddress: 4},
		{name: "environment", args: []string{"serve"}, env: map[string]string{"CASETRACK_TCP_IDLE": "5m", "CASETRACK_TCP_PER_ADDRESS": "2"},
			idle: 5 * time.Minute, perAddress: 2},
		{name: "flags win", args: []string{"serve", "--tcp-idle", "30m", "--tcp-per-address", "8"},
			env: map[string]string{"CASETRACK_TCP_IDLE": "5m"}, idle: 30 * time.Minute, perAddress: 8},
		{name: "bad environment", args: []string{"serve"}, env: map[string]string{"CASETRACK_TCP_PER_ADDRESS": "four"}, err: "CASETRACK_TCP_PER_ADDRESS"},
		{name: "idle in seconds", args: []string{"serve", "--tcp-idle", "30s"}, err: "1m to 24h"},
		{name: "idle for days", args: []string{"serve", "--tcp-idle", "48h"}, err: "1m to 24h"},
		{name: "no connections", args: []string{"serve", "--tcp-per-address", "0"}, err: "1 to 32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := parseConfig(t, tt.args, tt.env, tt.err)
			if ok && (c.TCPIdle != tt.idle || c.TCPPerAddress != tt.perAddress) {
				t.Errorf("got idle %v, %d an address; want %v, %d", c.TCPIdle, c.TCPPerAddress, tt.idle, tt.perAddress)
			}
		})
	}
}
