package hl7

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a Handler that decodes each message, as the real one will,
// and keeps what it was given and the ACK it was told would be sent.
type recorder struct {
	mu         sync.Mutex
	deliveries []*Delivery
	acks       [][]byte
	apply      func(ctx context.Context, d *Delivery) error // nil: decode only
}

func (r *recorder) Handle(ctx context.Context, d *Delivery) error {
	var err error
	switch {
	case d.Message == nil:
		err = d.Err
	case r.apply != nil:
		err = r.apply(ctx, d)
	default:
		_, err = Decoder{}.Decode(d.Message)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.deliveries = append(r.deliveries, d)
	r.acks = append(r.acks, d.ACK(err))
	return err
}

// get returns the i-th delivery and the ACK the handler was told of.
func (r *recorder) get(i int) (*Delivery, []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.deliveries[i], r.acks[i]
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.deliveries)
}

// startServer serves s on a loopback port until the test ends.
func startServer(t *testing.T, s *Server) string {
	t.Helper()
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	t.Cleanup(func() {
		s.Close()
		if err := <-served; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v", err)
		}
	})
	return ln.Addr().String()
}

type client struct {
	t *testing.T
	c net.Conn
	r *Reader
}

func dial(t *testing.T, addr string) *client {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(20 * time.Second))
	return &client{t: t, c: c, r: NewReader(c, 0)}
}

func (c *client) write(s string) {
	c.t.Helper()
	if _, err := c.c.Write([]byte(s)); err != nil {
		c.t.Fatal(err)
	}
}

// ack reads one ACK and returns it raw and parsed.
func (c *client) ack() (string, *Message) {
	c.t.Helper()
	b, err := c.r.ReadMessage()
	if err != nil {
		c.t.Fatalf("reading the ACK: %v", err)
	}
	return string(b), mustParse(c.t, string(b))
}

// msa returns MSA-1 and MSA-2 of an ACK.
func msa(t *testing.T, ack *Message) (string, string) {
	t.Helper()
	s := mustSegment(t, ack, "MSA")
	return s.Field(1).Text(), s.Field(2).Text()
}

// closed reports whether the server closed the connection: a read returns
// end of stream (or a reset) rather than data.
func (c *client) closed() bool {
	c.t.Helper()
	_, err := c.r.ReadMessage()
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || isReset(err)
}

func isReset(err error) bool {
	return err != nil && strings.Contains(err.Error(), "connection reset")
}

func TestServerAppliesMessages(t *testing.T) {
	t.Parallel()
	h := &recorder{}
	c := dial(t, startServer(t, &Server{Handler: h}))
	files := []struct{ file, control string }{
		{"adt_a01_v24.hl7", "MSG00001"}, {"adt_a08_v23_lf.hl7", "20261203-0042"}, {"adt_a40_v25.hl7", "MSG00003"},
		{"siu_s12_v25.hl7", "MSG00004"}, {"siu_s15_v24.hl7", "MSG00005"},
	}
	for i, f := range files {
		c.write(frame(readMessage(t, f.file)))
		raw, ack := c.ack()
		if status, control := msa(t, ack); status != "AA" || control != f.control {
			t.Fatalf("%s: MSA %s %s", f.file, status, control)
		}
		d, told := h.get(i)
		if string(told) != raw {
			t.Fatalf("%s: sent %q, but the handler was told %q", f.file, raw, told)
		}
		if d.Message == nil || d.Raw != readMessage(t, f.file) || !d.Remote.Addr().IsLoopback() || d.Received.IsZero() {
			t.Fatalf("%s: delivery %+v", f.file, d)
		}
	}
}

func TestServerRefusesAndRejects(t *testing.T) {
	t.Parallel()
	h := &recorder{}
	c := dial(t, startServer(t, &Server{Handler: h}))
	tests := []struct {
		name, msg, status, control, where string
	}{
		{"BadNHSNumber", message("ADT^A08", "2.5", "PID|1||9434765910^^^NHS^NH~RX1"), "AE", "MSG1", "PID^1^3"},
		{"UnhandledType", message("ORU^R01", "2.5", "PID|1||RX1"), "AR", "MSG1", ""},
		{"NotHL7", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "AR", "", ""},
		{"BrokenAfterMSH", message("ADT^A08", "2.5", "PID|1||RX1", "\x01\x02"), "AR", "MSG1", ""},
		{"GoodAfterTheBadOnes", readMessage(t, "adt_a01_v24.hl7"), "AA", "MSG00001", ""},
	}
	for _, tt := range tests {
		c.write(frame(tt.msg))
		_, ack := c.ack()
		status, control := msa(t, ack)
		if status != tt.status || control != tt.control {
			t.Fatalf("%s: MSA %s %q, want %s %q", tt.name, status, control, tt.status, tt.control)
		}
		if err, ok := ack.Segment("ERR"); (status != "AA") != ok || ok && err.Field(2).Raw() != tt.where {
			t.Fatalf("%s: ERR %q", tt.name, err.Field(2).Raw())
		}
	}
	if d, _ := h.get(2); d.Message != nil || d.Err == nil || d.Raw != tests[2].msg {
		t.Fatalf("the handler was given %+v for bytes that are not HL7", d)
	}
}

func TestServerFramingOverTheWire(t *testing.T) {
	t.Parallel()
	h := &recorder{}
	addr := startServer(t, &Server{Handler: h})
	a, b := frame(readMessage(t, "adt_a01_v24.hl7")), frame(readMessage(t, "siu_s12_v25.hl7"))

	c := dial(t, addr)
	c.write(a + b) // two in one write: two ACKs, in order
	for _, want := range []string{"MSG00001", "MSG00004"} {
		if _, ack := c.ack(); mustSegment(t, ack, "MSA").Field(2).Text() != want {
			t.Fatalf("ACKs out of order: want %s", want)
		}
	}
	c.write("\r\n" + a[:7]) // a stray line end, then a message in pieces
	c.write(a[7:300])
	c.write(a[300 : len(a)-1])
	c.write(a[len(a)-1:])
	if _, ack := c.ack(); mustSegment(t, ack, "MSA").Field(1).Text() != "AA" {
		t.Fatal("split message not applied")
	}

	dropped := dial(t, addr)
	dropped.write(b[:100])
	dropped.c.Close()
	c.write(a) // the server still serves others
	if _, ack := c.ack(); mustSegment(t, ack, "MSA").Field(1).Text() != "AA" {
		t.Fatal("not applied after another connection dropped")
	}
	if n := h.count(); n != 4 {
		t.Fatalf("the handler saw %d messages, want 4: a dropped message is never handled", n)
	}
}

func TestServerRefusesTooLarge(t *testing.T) {
	t.Parallel()
	h := &recorder{}
	c := dial(t, startServer(t, &Server{Handler: h}))
	head := "MSH|^~\\&|PAS|RX1|CASETRACK|RX1|2026||ADT^A08|BIG1|P|2.4\rNTE|1||"
	go func() {
		c.c.Write([]byte("\x0b" + head))
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for range 32 { // 2 MiB
			if _, err := c.c.Write(chunk); err != nil {
				return
			}
		}
		c.c.Write([]byte("\x1c\r"))
	}()
	_, ack := c.ack()
	if status, control := msa(t, ack); status != "AR" || control != "BIG1" {
		t.Fatalf("MSA %s %s, want AR BIG1", status, control)
	}
	if !c.closed() {
		t.Fatal("the connection stayed open after a message over the limit")
	}
	if d, _ := h.get(0); d.Message != nil || len(d.Raw) != MaxMessage || !strings.HasPrefix(d.Raw, head) {
		t.Fatalf("the handler was given %d bytes, message %v", len(d.Raw), d.Message)
	}
}

func TestServerClosesUnwantedConnections(t *testing.T) {
	t.Parallel()
	elsewhere, err := ParseAllow("10.0.0.0/8, 192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		allow []netip.Prefix
		send  string
	}{
		{"NotMLLP", nil, strings.Repeat("MSH|^~\\&|PAS|RX1 sent without framing\r", 200)},
		{"AddressNotAllowed", elsewhere, frame(readMessage(t, "adt_a01_v24.hl7"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := &recorder{}
			c := dial(t, startServer(t, &Server{Handler: h, Allow: tt.allow}))
			c.c.Write([]byte(tt.send))
			if !c.closed() {
				t.Fatal("connection left open")
			}
			if h.count() != 0 {
				t.Fatal("the handler was called")
			}
		})
	}
}

func TestServerMaxConns(t *testing.T) {
	t.Parallel()
	addr := startServer(t, &Server{Handler: &recorder{}, MaxConns: 1})
	first := dial(t, addr)
	first.write(frame(readMessage(t, "adt_a01_v24.hl7")))
	first.ack()
	if second := dial(t, addr); !second.closed() {
		t.Fatal("a second connection was served with MaxConns 1")
	}
	first.write(frame(readMessage(t, "adt_a01_v24.hl7")))
	if _, ack := first.ack(); mustSegment(t, ack, "MSA").Field(1).Text() != "AA" {
		t.Fatal("the first connection stopped working")
	}
}

func TestServerHandlerFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		apply func(ctx context.Context, d *Delivery) error
	}{
		{"Error", func(context.Context, *Delivery) error { return errors.New("database is down") }},
		{"Panic", func(context.Context, *Delivery) error { panic("bug") }},
		{"Timeout", func(ctx context.Context, _ *Delivery) error { <-ctx.Done(); return ctx.Err() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := dial(t, startServer(t, &Server{Handler: &recorder{apply: tt.apply}, HandleTimeout: 10 * time.Millisecond}))
			for range 2 { // and the connection goes on
				c.write(frame(readMessage(t, "adt_a40_v25.hl7")))
				_, ack := c.ack()
				if status, _ := msa(t, ack); status != "AE" || mustSegment(t, ack, "ERR").Field(3).Component(1).Text() != "207" {
					t.Fatalf("ACK %q", ack.Raw())
				}
			}
		})
	}
}

func TestServerIdleTimeout(t *testing.T) {
	t.Parallel()
	c := dial(t, startServer(t, &Server{Handler: &recorder{}, IdleTimeout: 20 * time.Millisecond}))
	if !c.closed() {
		t.Fatal("idle connection left open")
	}
}

func TestServerCloseLetsHandledMessageFinish(t *testing.T) {
	t.Parallel()
	started, release := make(chan struct{}), make(chan struct{})
	h := &recorder{apply: func(context.Context, *Delivery) error {
		close(started)
		<-release
		return nil
	}}
	s := &Server{Handler: h, Logger: slog.New(slog.DiscardHandler)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	busy, idle := dial(t, ln.Addr().String()), dial(t, ln.Addr().String())
	busy.write(frame(readMessage(t, "adt_a01_v24.hl7")))
	<-started
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	if !idle.closed() {
		t.Fatal("an idle connection outlived Close")
	}
	close(release)
	if _, ack := busy.ack(); mustSegment(t, ack, "MSA").Field(1).Text() != "AA" {
		t.Fatal("the message being handled was not answered")
	}
	if !busy.closed() {
		t.Fatal("the connection stayed open after its message was answered")
	}
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := <-served; !errors.Is(err, ErrServerClosed) {
		t.Fatalf("Serve: %v", err)
	}
	if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		c.Close()
		t.Fatal("still accepting after Close")
	}
}

func TestParseAllow(t *testing.T) {
	t.Parallel()
	allow, err := ParseAllow(" 127.0.0.1, 10.1.0.0/16,,::1, 192.168.7.9/24 ")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1", true}, {"127.0.0.2", false}, {"10.1.200.3", true}, {"10.2.0.1", false},
		{"::1", true}, {"::ffff:127.0.0.1", true}, {"192.168.7.200", true}, {"192.168.8.1", false},
	}
	for _, tt := range tests {
		if got := admits(allow, netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("admits(%s) = %v", tt.addr, got)
		}
	}
	for _, bad := range []string{"localhost", "10.0.0.0/33", "10.0.0.300", "127.0.0.1 10.0.0.1"} {
		if _, err := ParseAllow(bad); err == nil {
			t.Errorf("ParseAllow(%q) accepted", bad)
		}
	}
}
