package labels

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakePrinter listens like a Zebra's raw port and returns what one
// connection sent.
func fakePrinter(t *testing.T) (addr string, received <-chan []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	ch := make(chan []byte, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		data, _ := io.ReadAll(conn)
		ch <- data
	}()
	return ln.Addr().String(), ch
}

func TestSendDeliversZPL(t *testing.T) {
	t.Parallel()
	addr, received := fakePrinter(t)
	var zpl bytes.Buffer
	if err := WriteZPL(&zpl, []Label{volumeLabel(), locationLabel(QR)}, ZPLOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := Send(context.Background(), addr, zpl.Bytes(), time.Second); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-received:
		if !bytes.Equal(got, zpl.Bytes()) {
			t.Errorf("printer got %d bytes, want the %d sent", len(got), zpl.Len())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("printer got nothing")
	}
}

func TestSendRefused(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	err = Send(context.Background(), addr, []byte("^XA^XZ"), time.Second)
	wantPrinterError(t, err, "printer at "+addr+" refused the connection")
}

// TestSendTimesOut sends to a printer that accepts but never reads, as a
// jammed one does: Send must give up at its timeout with a clear message.
func TestSendTimesOut(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err == nil {
			defer conn.Close()
			time.Sleep(5 * time.Second)
		}
	}()
	const timeout = 300 * time.Millisecond
	start := time.Now()
	// More than the kernel buffers on both ends hold, so the write blocks.
	err = Send(context.Background(), ln.Addr().String(), make([]byte, 64<<20), timeout)
	if took := time.Since(start); took > timeout+2*time.Second {
		t.Errorf("Send took %v with a %v timeout", took, timeout)
	}
	wantPrinterError(t, err, "printer at "+ln.Addr().String()+" stopped taking data within 300ms")
}

// TestSendUnreachable dials an address reserved for documentation
// (192.0.2.0/24), which never answers: whether the network drops the
// packets or reports no route, Send returns a printer error in time.
func TestSendUnreachable(t *testing.T) {
	t.Parallel()
	const timeout = 500 * time.Millisecond
	start := time.Now()
	err := Send(context.Background(), "192.0.2.1", []byte("^XA^XZ"), timeout)
	if took := time.Since(start); took > timeout+time.Second {
		t.Errorf("Send took %v with a %v timeout", took, timeout)
	}
	var pe *PrinterError
	if !errors.As(err, &pe) || pe.Addr != "192.0.2.1:9100" || !strings.HasPrefix(pe.Message, "printer at 192.0.2.1:9100 ") {
		t.Fatalf("Send = %v, want a PrinterError naming 192.0.2.1:9100", err)
	}
	t.Log(err)
}

// TestSendDialTimesOut fills the accept queue of a listener with a
// backlog of 0 and no accept: Linux then drops further SYNs, as a
// switched-off printer's network does, so the dial hangs until Send's
// timeout.
func TestSendDialTimesOut(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" {
		t.Skip("relies on Linux dropping SYNs to a full accept queue")
	}
	addr := fullListener(t)
	const timeout = 400 * time.Millisecond
	start := time.Now()
	err := Send(context.Background(), addr, []byte("^XA^XZ"), timeout)
	if took := time.Since(start); took < timeout/2 || took > timeout+time.Second {
		t.Errorf("Send took %v with a %v timeout", took, timeout)
	}
	wantPrinterError(t, err, "printer at "+addr+" did not answer within 400ms")
}

// fullListener returns the address of a socket that listens but whose
// accept queue is full.
func fullListener(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*syscall.SockaddrInet4).Port))
	for range 3 { // fill the queue; later connects are left hanging
		d := net.Dialer{Timeout: 100 * time.Millisecond}
		if c, err := d.Dial("tcp", addr); err == nil {
			t.Cleanup(func() { c.Close() })
		}
	}
	return addr
}

func TestSendCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Send(ctx, "192.0.2.1:9100", []byte("^XA^XZ"), time.Second)
	wantPrinterError(t, err, "printing to 192.0.2.1:9100 was cancelled")
}

func wantPrinterError(t *testing.T, err error, msg string) {
	t.Helper()
	var pe *PrinterError
	if !errors.As(err, &pe) {
		t.Fatalf("Send = %v (%T), want a *PrinterError", err, err)
	}
	if pe.Message != msg || pe.Unwrap() == nil {
		t.Errorf("Send = %q (cause %v), want %q", pe.Message, pe.Err, msg)
	}
}
