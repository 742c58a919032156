package hl7

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// MLLP frames one message as 0x0B, the message, 0x1C 0x0D.
const (
	startBlock     = 0x0B
	endBlock       = 0x1C
	carriageReturn = 0x0D
)

// MaxMessage is the largest message the feed takes by default (1 MiB): a
// patient or appointment message is a few kilobytes, so anything near it
// is a misconfigured sender, refused before it costs memory.
const MaxMessage = 1 << 20

// maxJunk is how many bytes outside any frame a connection may send before
// it is taken for something that does not speak MLLP. Senders put at most
// a line end or two between frames.
const maxJunk = 4 << 10

// Errors of the framing: what the server tells apart.
var (
	// ErrTooLarge is a frame longer than the limit. ReadMessage returns its
	// first bytes (up to the limit) with it, enough to answer it.
	ErrTooLarge = errors.New("hl7: MLLP message larger than the limit")
	// ErrNotMLLP is a stream of bytes with no frame start in sight.
	ErrNotMLLP = errors.New("hl7: bytes outside an MLLP frame")
)

// Reader reads MLLP frames off a stream, however TCP cuts it up: a frame
// may come in many reads and several frames in one. Bytes between frames
// (a stray line end) are skipped; a new start byte inside a frame means
// the sender gave up on that frame and began again, so what came before
// it is dropped.
type Reader struct {
	br  *bufio.Reader
	max int
	buf []byte
}

// NewReader returns a Reader that refuses frames longer than max bytes
// (MaxMessage when max is 0 or less). It buffers at most max bytes and one
// read beyond them, never more.
func NewReader(r io.Reader, max int) *Reader {
	if max <= 0 {
		max = MaxMessage
	}
	return &Reader{br: bufio.NewReaderSize(r, 32<<10), max: max}
}

// ReadMessage returns the next message, without its framing. The bytes are
// the Reader's own until the next call. At the end of the stream between
// frames it returns io.EOF; within a frame, io.ErrUnexpectedEOF.
func (r *Reader) ReadMessage() ([]byte, error) {
	if err := r.start(); err != nil {
		return nil, err
	}
	return r.body()
}

// start skips to the next start byte.
func (r *Reader) start() error {
	for skipped := 0; ; skipped++ {
		b, err := r.br.ReadByte()
		if err != nil {
			return err
		}
		if b == startBlock {
			return nil
		}
		if skipped == maxJunk {
			return ErrNotMLLP
		}
	}
}

// body reads up to the end byte of a frame whose start has been read.
func (r *Reader) body() ([]byte, error) {
	r.buf = r.buf[:0]
	for {
		chunk, err := r.br.ReadSlice(endBlock)
		if i := bytes.LastIndexByte(chunk, startBlock); i >= 0 {
			r.buf, chunk = r.buf[:0], chunk[i+1:]
		}
		if err == nil {
			chunk = chunk[:len(chunk)-1]
		}
		if len(r.buf)+len(chunk) > r.max {
			r.buf = append(r.buf, chunk[:r.max-len(r.buf)]...)
			return r.buf, ErrTooLarge
		}
		r.buf = append(r.buf, chunk...)
		switch {
		case err == nil:
			r.skipCR()
			return r.buf, nil
		case errors.Is(err, bufio.ErrBufferFull):
		case errors.Is(err, io.EOF):
			return nil, io.ErrUnexpectedEOF
		default:
			return nil, err
		}
	}
}

// skipCR consumes the 0x0D after the end byte when it has already come;
// when it comes later it is skipped as a byte between frames, so a sender
// that waits for the ACK after 0x1C alone is answered all the same.
func (r *Reader) skipCR() {
	if r.br.Buffered() == 0 {
		return
	}
	if b, err := r.br.Peek(1); err == nil && b[0] == carriageReturn {
		_, _ = r.br.Discard(1)
	}
}

// WriteMessage writes one message in MLLP framing, in a single Write so
// that the frame leaves in as few packets as it fits in.
func WriteMessage(w io.Writer, msg []byte) error {
	frame := make([]byte, 0, len(msg)+3)
	frame = append(frame, startBlock)
	frame = append(frame, msg...)
	frame = append(frame, endBlock, carriageReturn)
	_, err := w.Write(frame)
	return err
}
