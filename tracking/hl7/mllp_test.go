package hl7

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"testing/iotest"
)

// tcpPair returns the two ends of a real loopback TCP connection.
func tcpPair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server = <-accepted
	if server == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

func frame(msg string) string { return "\x0b" + msg + "\x1c\r" }

// sendInPieces writes each piece with its own Write, closes the sending
// side, and returns what the reader got up to its first error.
func sendInPieces(t *testing.T, wrap func(io.Reader) io.Reader, max int, pieces ...string) ([]string, error) {
	t.Helper()
	client, server := tcpPair(t)
	go func() {
		for _, p := range pieces {
			if _, err := client.Write([]byte(p)); err != nil {
				break
			}
		}
		client.(*net.TCPConn).CloseWrite()
	}()
	r := NewReader(wrap(server), max)
	var got []string
	for {
		msg, err := r.ReadMessage()
		if err != nil {
			return got, err
		}
		got = append(got, string(msg))
	}
}

func same(r io.Reader) io.Reader { return r }

func TestReaderFraming(t *testing.T) {
	t.Parallel()
	a := readMessage(t, "adt_a01_v24.hl7")
	b := readMessage(t, "siu_s12_v25.hl7")
	fa, fb := frame(a), frame(b)
	tests := []struct {
		name   string
		pieces []string
		want   []string
		err    error
	}{
		{"One", []string{fa}, []string{a}, io.EOF},
		{"TwoInOneWrite", []string{fa + fb}, []string{a, b}, io.EOF},
		{"SplitInsideMessage", []string{fa[:10], fa[10:200], fa[200:]}, []string{a}, io.EOF},
		{"SplitBeforeEndByte", []string{fa[:len(fa)-2], fa[len(fa)-2:] + fb}, []string{a, b}, io.EOF},
		{"SplitBetweenEndBytes", []string{fa[:len(fa)-1], fa[len(fa)-1:] + fb[:5], fb[5:]}, []string{a, b}, io.EOF},
		{"SecondBeginsInFirstsRead", []string{fa + fb[:30], fb[30:]}, []string{a, b}, io.EOF},
		{"JunkBeforeStart", []string{"\r\n\n  garbage\x00" + fa, "\n" + fb}, []string{a, b}, io.EOF},
		{"EndByteWithoutCR", []string{"\x0b" + a + "\x1c" + fb}, []string{a, b}, io.EOF},
		{"SenderBeganAgain", []string{"\x0b" + a[:40], fa}, []string{a}, io.EOF},
		{"EmptyFrame", []string{"\x0b\x1c\r" + fa}, []string{"", a}, io.EOF},
		{"DroppedMidMessage", []string{fa, fb[:100]}, []string{a}, io.ErrUnexpectedEOF},
		{"DroppedAfterStartByte", []string{"\x0b"}, nil, io.ErrUnexpectedEOF},
		{"NoFrames", []string{"\r\n"}, nil, io.EOF},
		{"NotMLLP", []string{strings.Repeat("GET / HTTP/1.1\r\n", 300)}, nil, ErrNotMLLP},
	}
	readers := []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{{"TCP", same}, {"OneByteReads", iotest.OneByteReader}, {"HalfReads", iotest.HalfReader}}
	for _, tt := range tests {
		for _, rd := range readers {
			t.Run(tt.name+"/"+rd.name, func(t *testing.T) {
				t.Parallel()
				got, err := sendInPieces(t, rd.wrap, 0, tt.pieces...)
				if !errors.Is(err, tt.err) || strings.Join(got, "\x00") != strings.Join(tt.want, "\x00") {
					t.Fatalf("got %d messages %q, %v; want %d, %v", len(got), got, err, len(tt.want), tt.err)
				}
			})
		}
	}
}

func TestReaderLimit(t *testing.T) {
	t.Parallel()
	const max = 100 << 10
	head := "MSH|^~\\&|PAS|RX1|||2026||ADT^A08|BIG1|P|2.4\rNTE|1||"
	exact := head + strings.Repeat("x", max-len(head))
	t.Run("ExactlyTheLimit", func(t *testing.T) {
		t.Parallel()
		got, err := sendInPieces(t, same, max, frame(exact))
		if !errors.Is(err, io.EOF) || len(got) != 1 || got[0] != exact {
			t.Fatalf("got %d messages, %v", len(got), err)
		}
	})
	t.Run("OneByteOver", func(t *testing.T) {
		t.Parallel()
		client, server := tcpPair(t)
		go func() {
			client.Write([]byte(frame(exact + "y")))
			client.Close()
		}()
		r := NewReader(server, max)
		msg, err := r.ReadMessage()
		if !errors.Is(err, ErrTooLarge) || string(msg) != exact {
			t.Fatalf("got %d bytes, %v; want the first %d and ErrTooLarge", len(msg), err, max)
		}
		if cap(r.buf) > 2*max {
			t.Fatalf("buffered %d bytes for a limit of %d", cap(r.buf), max)
		}
	})
	t.Run("FarOverStopsReading", func(t *testing.T) {
		t.Parallel()
		client, server := tcpPair(t)
		go func() {
			client.Write([]byte("\x0b" + head))
			chunk := bytes.Repeat([]byte("z"), 64<<10)
			for range 1 << 10 { // 64 MiB if the reader kept reading
				if _, err := client.Write(chunk); err != nil {
					return
				}
			}
		}()
		msg, err := NewReader(server, max).ReadMessage()
		if !errors.Is(err, ErrTooLarge) || len(msg) != max || !strings.HasPrefix(string(msg), head) {
			t.Fatalf("got %d bytes, %v", len(msg), err)
		}
	})
}

func TestWriteMessage(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteMessage(&b, []byte("MSH|^~\\&\r")); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "\x0bMSH|^~\\&\r\x1c\r" {
		t.Fatalf("%q", got)
	}
	msg, err := NewReader(&b, 0).ReadMessage()
	if err != nil || string(msg) != "MSH|^~\\&\r" {
		t.Fatalf("reads back as %q, %v", msg, err)
	}
}
