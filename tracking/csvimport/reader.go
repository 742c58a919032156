package csvimport

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// Options are what an import file cannot say about itself.
type Options struct {
	// Today is the date no birth date may follow; zero means today's date
	// by the machine's clock.
	Today tracking.Date
}

func (o Options) today() tracking.Date {
	if o.Today.IsZero() {
		return tracking.DateOf(time.Now())
	}
	return o.Today
}

// Reader reads the rows of one import file in order, a batch at a time,
// so that a file of millions of lines is checked and written in bounded
// memory. Each row has passed package tracking's rules; a line that has
// not is a LineError in the batch instead, and the lines after it are
// read as usual.
type Reader[T any] struct {
	lx   *lexer
	cols []string // the kind's columns
	head header
	rec  record
	buf  []byte   // the kind's fields of the current line, decoded
	ends []int    // where each ends in buf
	vals []string // the same, as strings sharing one allocation
	rows rowChecker[T]
	read atomic.Int64
	err  error
	size int64 // the file's size when it can seek, else 0
	good int   // rows taken
	// estimated is set once the number of rows is estimated.
	estimated bool
}

// rowChecker is what a Reader needs of one kind of file.
type rowChecker[T any] interface {
	// row checks one line's values, given in the kind's column order.
	row(line int, vals []string) (T, *LineError)
	// expect says, once, about how many rows the file holds, so that the
	// keys remembered are allocated once instead of growing.
	expect(n int)
}

// estimateAfter is how many lines are read before the number in the
// whole file is estimated from the bytes they took.
const estimateAfter = 1024

// Batch is a run of consecutive lines of a file: the rows that passed and
// the errors of those that did not, each in line order.
type Batch[T any] struct {
	Rows   []T
	Errors []LineError
}

// newReader prepares r for reading: its encoding decided (reading it all
// once first when it can seek back), a BOM passed over and the header
// mapped. The error is a *LineError for a file that cannot be an import
// of the kind, and any other error for a failure to read it.
func newReader[T any](r io.Reader, k Kind, rows rowChecker[T]) (*Reader[T], error) {
	t, size, err := chooseText(r)
	if err != nil {
		return nil, err
	}
	cols := k.Columns()
	rd := &Reader[T]{lx: newLexer(r, t), cols: cols, rows: rows, vals: make([]string, len(cols)), size: size}
	if err := rd.lx.start(); err != nil {
		return nil, err
	}
	if rd.head, err = readHeader(rd.lx, &rd.rec, k); err != nil {
		return nil, err
	}
	rd.read.Store(rd.lx.offset())
	return rd, nil
}

// chooseText reads a seekable file through once to decide its encoding,
// then seeks back to where it was; size is how much of it there is.
func chooseText(r io.Reader) (t text, size int64, err error) {
	s, ok := r.(io.Seeker)
	if !ok {
		return text{}, 0, nil
	}
	at, err := s.Seek(0, io.SeekCurrent)
	if err != nil {
		return text{}, 0, nil // a pipe: decided as it streams
	}
	enc, err := sniffAll(r)
	if err != nil {
		return text{}, 0, fmt.Errorf("reading the file: %w", err)
	}
	end, err := s.Seek(0, io.SeekEnd)
	if err == nil {
		_, err = s.Seek(at, io.SeekStart)
	}
	if err != nil {
		return text{}, 0, fmt.Errorf("reading the file again: %w", err)
	}
	return text{enc: enc}, end - at, nil
}

// Next replaces the contents of b with the next lines of the file, up to
// n of them counting rows and errors alike (a batch of a file whose
// every line is wrong stays small too). It reports false when there is
// nothing more: at the end of the file, or after a read failure that Err
// returns. b's slices are reused from call to call: a caller keeping rows
// past the next call copies them, or takes turns with two batches.
func (r *Reader[T]) Next(b *Batch[T], n int) bool {
	b.Rows, b.Errors = b.Rows[:0], b.Errors[:0]
	for r.err == nil && len(b.Rows)+len(b.Errors) < max(n, 1) {
		if !r.lx.next(&r.rec) {
			if r.lx.err != nil {
				r.err = readError(r.lx)
			}
			break
		}
		row, lerr, ok := r.take(&r.rec)
		switch {
		case lerr != nil:
			b.Errors = append(b.Errors, *lerr)
		case ok:
			b.Rows = append(b.Rows, row)
			r.good++
		}
		if !r.estimated && r.rec.line >= estimateAfter {
			r.estimate()
		}
	}
	r.read.Store(r.lx.offset())
	return len(b.Rows)+len(b.Errors) > 0
}

// estimate tells the rows' checker how many to expect: the file's size over
// the bytes a line has taken so far, times the share of lines that were
// good (a file of errors remembers no keys, so needs no room for them).
func (r *Reader[T]) estimate() {
	if r.size > 0 {
		lines := float64(r.size) / float64(r.lx.offset()) * float64(r.rec.line)
		r.rows.expect(int(lines * float64(r.good) / float64(r.rec.line) * 1.05))
	}
	r.estimated = true
}

// Err is the failure that stopped reading early, nil at the end of a file
// read through. Lines up to the failure were returned; the line it cut
// short was not.
func (r *Reader[T]) Err() error { return r.err }

// BytesRead is how many bytes of the file the lines returned so far took,
// for a progress bar (against the file's size) and its ETA. It may be
// called from another goroutine while Next runs.
func (r *Reader[T]) BytesRead() int64 { return r.read.Load() }

// Ignored lists the header's columns that are not the kind's, as the file
// names them, so that the command line can say they were not read.
func (r *Reader[T]) Ignored() []string { return r.head.ignored }

// take turns a record into a row, a line error, or nothing for a blank line.
func (r *Reader[T]) take(rec *record) (row T, lerr *LineError, ok bool) {
	switch {
	case rec.problem != "":
		return row, &LineError{Line: rec.line, Message: rec.problem}, false
	case blank(rec):
		return row, nil, false
	}
	if lerr = r.checkWidth(rec); lerr == nil {
		lerr = r.decode(rec)
	}
	if lerr != nil {
		return row, lerr, false
	}
	row, lerr = r.rows.row(rec.line, r.vals)
	return row, lerr, lerr == nil
}

// checkWidth refuses a line whose number of values is not the header's:
// a comma that should have been inside quotes shifts every value after it
// into the wrong column, and a value in the wrong column can pass every
// rule (a given name taken for a family name), so the line is refused
// whole rather than guessed at.
func (r *Reader[T]) checkWidth(rec *record) *LineError {
	n, w := len(rec.fields), r.head.width
	switch {
	case n < w:
		return &LineError{Line: rec.line, Message: fmt.Sprintf("This line has %d values but the header has %d columns.", n, w)}
	case n > w:
		return &LineError{Line: rec.line, Message: fmt.Sprintf("This line has %d values but the header has %d columns: a value with a comma in it must be in double quotes.", n, w)}
	}
	return nil
}

// decode reads the kind's fields of the line into r.vals, making one
// string for them all.
func (r *Reader[T]) decode(rec *record) *LineError {
	buf, ends := r.buf[:0], r.ends[:0]
	for c, i := range r.head.index {
		var ok bool
		if buf, ok = r.lx.text.appendField(buf, rec.field(i)); !ok {
			return &LineError{Line: rec.line, Field: r.cols[c], Message: unreadable}
		}
		ends = append(ends, len(buf))
	}
	r.buf, r.ends = buf, ends
	s, start := string(buf), 0
	for c, end := range ends {
		r.vals[c], start = s[start:end], end
	}
	return nil
}

func readError(lx *lexer) error { return fmt.Errorf("reading the file: %w", lx.err) }
