package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/url"
	"strconv"
	"time"
)

// wire is one keep-alive HTTP/1.1 connection written and read directly on
// its socket, for the timed phases. The generator shares the machine's
// cores with casetrack and the database, so every microsecond it spends
// per request is taken from what it measures; net/http's client costs
// several times what this does (as a load tool such as wrk does, it only
// frames requests and reads back what it needs). Seeding, which is not
// timed, uses net/http.
type wire struct {
	host string // host:port, dialled and sent as Host
	auth string
	conn net.Conn
	r    *bufio.Reader
	req  []byte
	body []byte
}

// newWire is a connection to base, a plain http:// URL, sending auth as
// the Authorization header. It dials on first use.
func newWire(base, auth string) *wire {
	host := base
	if u, err := url.Parse(base); err == nil {
		host = u.Host
	}
	return &wire{host: host, auth: auth}
}

// post sends body as JSON to path and returns the status and the answer,
// which is only valid until the next call.
func (w *wire) post(path string, body []byte) (int, []byte, error) {
	if w.conn == nil {
		c, err := net.DialTimeout("tcp", w.host, 5*time.Second)
		if err != nil {
			return 0, nil, err
		}
		w.conn, w.r = c, bufio.NewReaderSize(c, 64<<10)
	}
	status, out, err := w.roundTrip(path, body)
	if err != nil {
		w.close() // the connection's framing can no longer be trusted
	}
	return status, out, err
}

func (w *wire) close() {
	if w.conn != nil {
		w.conn.Close()
		w.conn, w.r = nil, nil
	}
}

func (w *wire) roundTrip(path string, body []byte) (int, []byte, error) {
	if err := w.conn.SetDeadline(time.Now().Add(2 * time.Minute)); err != nil {
		return 0, nil, err
	}
	w.req = append(w.req[:0], "POST "...)
	w.req = append(w.req, path...)
	w.req = append(w.req, " HTTP/1.1\r\nHost: "...)
	w.req = append(w.req, w.host...)
	w.req = append(w.req, "\r\nAuthorization: "...)
	w.req = append(w.req, w.auth...)
	w.req = append(w.req, "\r\nContent-Type: application/json\r\nContent-Length: "...)
	w.req = strconv.AppendInt(w.req, int64(len(body)), 10)
	w.req = append(w.req, "\r\n\r\n"...)
	w.req = append(w.req, body...)
	if _, err := w.conn.Write(w.req); err != nil {
		return 0, nil, err
	}
	return w.readResponse()
}

var errFraming = errors.New("malformed HTTP response")

// readResponse reads one response: its status, and its body by
// Content-Length or chunked transfer coding.
func (w *wire) readResponse() (int, []byte, error) {
	line, err := w.r.ReadSlice('\n')
	if err != nil {
		return 0, nil, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, nil, errFraming
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, nil, errFraming
	}
	length, chunked, closing := -1, false, false
	for {
		line, err := w.r.ReadSlice('\n')
		if err != nil {
			return 0, nil, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, nil, errFraming
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil || length < 0 {
				return 0, nil, errFraming
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			closing = bytes.EqualFold(value, []byte("close"))
		}
	}
	switch {
	case chunked:
		err = w.readChunked()
	case length >= 0:
		w.body = grow(w.body, length)
		_, err = io.ReadFull(w.r, w.body)
	default:
		return 0, nil, errFraming // a body up to EOF: not what casetrack sends
	}
	if err == nil && closing {
		w.close()
	}
	return status, w.body, err
}

func (w *wire) readChunked() error {
	w.body = w.body[:0]
	for {
		line, err := w.r.ReadSlice('\n')
		if err != nil {
			return err
		}
		hex, _, _ := bytes.Cut(bytes.TrimRight(line, "\r\n"), []byte(";"))
		n, err := strconv.ParseInt(string(hex), 16, 32)
		if err != nil || n < 0 {
			return errFraming
		}
		if n == 0 {
			// Trailers, if any, end with an empty line.
			for {
				line, err := w.r.ReadSlice('\n')
				if err != nil {
					return err
				}
				if len(bytes.TrimRight(line, "\r\n")) == 0 {
					return nil
				}
			}
		}
		start := len(w.body)
		w.body = grow(w.body, start+int(n))
		if _, err := io.ReadFull(w.r, w.body[start:]); err != nil {
			return err
		}
		if _, err := w.r.Discard(2); err != nil { // the chunk's CRLF
			return err
		}
	}
}

// grow returns b with length n, reusing its storage when it can.
func grow(b []byte, n int) []byte {
	if cap(b) >= n {
		return b[:n]
	}
	return append(b[:cap(b)], make([]byte, n-cap(b))...)
}
