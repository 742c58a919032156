package csvimport

import (
	"bytes"
	"errors"
	"io"
)

// Sizes of the lexer's window on the file. A record must fit in
// maxRecord: casetrack's rows are well under 1 KiB, so a longer one is a
// quote left open, and stopping there keeps memory bounded whatever the
// file holds.
const (
	bufSize   = 256 << 10
	maxRecord = 64 << 10
)

// span is where one field's bytes lie in a record's data.
type span struct{ start, end int }

// record is one CSV record as written: its fields' raw bytes (quotes
// removed), before any decoding. problem is set instead when the record
// cannot be split into fields.
type record struct {
	line    int // the file line the record starts on
	data    []byte
	fields  []span
	problem string
}

func (r *record) field(i int) []byte { return r.data[r.fields[i].start:r.fields[i].end] }

// lexer splits a stream into CSV records (RFC 4180, plus what exports do
// to it: CRLF or LF, spaces around quoted values, a quote inside an
// unquoted value taken as it is). A line without a quote, nearly every
// line of an export, is split where it lies in the buffer without copying.
type lexer struct {
	src      io.Reader
	buf      []byte
	pos, end int   // unread bytes are buf[pos:end]
	base     int64 // file offset of buf[0]
	eof      bool
	err      error // a read error other than io.EOF
	line     int   // the file line buf[pos] is on
	text     text
	unquoted []byte // the fields of a record with quotes, unescaped
}

func newLexer(src io.Reader, t text) *lexer {
	return &lexer{src: src, buf: make([]byte, bufSize), line: 1, text: t}
}

// start reads the first bytes of the file to pass over a UTF-8 BOM (which
// also settles the encoding) and to refuse, with a message saying what
// to do, the files people mistake for CSV.
func (l *lexer) start() error {
	for l.end < 4 && !l.eof {
		l.fill()
	}
	if l.err != nil {
		return readError(l)
	}
	b := l.buf[:l.end]
	switch {
	case bytes.HasPrefix(b, utf8BOM):
		l.pos, l.text.enc = 3, utf8Text
	case bytes.HasPrefix(b, []byte("\xff\xfe")), bytes.HasPrefix(b, []byte("\xfe\xff")):
		return &LineError{Line: 1, Message: "The file is UTF-16 (Excel's \"Unicode Text\"): save it as \"CSV UTF-8\" or \"CSV (comma delimited)\"."}
	case bytes.HasPrefix(b, []byte("PK\x03\x04")), bytes.HasPrefix(b, []byte("\xd0\xcf\x11\xe0")):
		return &LineError{Line: 1, Message: "The file is a spreadsheet, not CSV: save it as \"CSV UTF-8\" or \"CSV (comma delimited)\"."}
	}
	return nil
}

// offset is how many bytes of the file the records returned so far took.
func (l *lexer) offset() int64 { return l.base + int64(l.pos) }

// next reads the next record into rec; false at the end of the stream or
// after a read error (l.err).
func (l *lexer) next(rec *record) bool {
	for {
		data := l.buf[l.pos:l.end]
		nl := bytes.IndexByte(data, '\n')
		if nl < 0 && !l.eof && len(data) < maxRecord {
			l.fill()
			continue
		}
		if len(data) == 0 {
			return false
		}
		line := data
		if nl >= 0 {
			line = data[:nl]
		}
		if len(line) >= maxRecord {
			l.skipLine(rec, "This line is longer than 64 KiB.")
			return true
		}
		if bytes.IndexByte(line, '"') >= 0 {
			l.quotedRecord(rec)
			return true
		}
		l.plainRecord(rec, line)
		l.pos += min(len(line)+1, len(data))
		l.line++
		return true
	}
}

// plainRecord splits a line with no quotes at its commas.
func (l *lexer) plainRecord(rec *record, line []byte) {
	line = bytes.TrimSuffix(line, []byte{'\r'})
	rec.line, rec.data, rec.problem = l.line, l.buf, ""
	rec.fields = rec.fields[:0]
	start := l.pos
	for {
		i := bytes.IndexByte(line, ',')
		if i < 0 {
			rec.fields = append(rec.fields, span{start, start + len(line)})
			return
		}
		rec.fields = append(rec.fields, span{start, start + i})
		start += i + 1
		line = line[i+1:]
	}
}

// quotedRecord reads a record with quotes, which may run over several
// lines. When it cannot be read the problem is reported on the line it
// starts on and reading goes on from the next line, so one stray quote
// costs one line, not the rest of the file.
func (l *lexer) quotedRecord(rec *record) {
	for {
		n, lines, problem := splitQuoted(l.buf[l.pos:l.end], l.eof, &l.unquoted, &rec.fields)
		switch {
		case problem != "":
			l.skipLine(rec, problem)
			return
		case n > maxRecord:
			l.skipLine(rec, "This record is longer than 64 KiB: a quote is probably missing.")
			return
		case n > 0:
			rec.line, rec.data, rec.problem = l.line, l.unquoted, ""
			l.pos += n
			l.line += lines
			return
		case l.end-l.pos >= maxRecord || l.eof:
			l.skipLine(rec, "A quoted value is not closed within 64 KiB: a quote is missing.")
			return
		}
		l.fill()
	}
}

// skipLine reports problem on the current line and moves past it.
func (l *lexer) skipLine(rec *record, problem string) {
	rec.line, rec.problem, rec.fields = l.line, problem, rec.fields[:0]
	l.line++
	for {
		if i := bytes.IndexByte(l.buf[l.pos:l.end], '\n'); i >= 0 {
			l.pos += i + 1
			return
		}
		l.pos = l.end
		if l.eof {
			return
		}
		l.fill()
	}
}

// errNoProgress stops a reader that keeps returning nothing.
var errNoProgress = errors.New("the file's reader returned no data many times over")

// fill moves the unread bytes to the front of the buffer and reads more
// after them, setting eof at the end of the stream or on a read error.
func (l *lexer) fill() {
	if l.pos > 0 {
		l.base += int64(l.pos)
		l.end = copy(l.buf, l.buf[l.pos:l.end])
		l.pos = 0
	}
	for range 100 {
		n, err := l.src.Read(l.buf[l.end:])
		l.text.sniff(l.buf[:l.end+n], err != nil)
		l.end += n
		if err != nil {
			l.eof = true
			if err != io.EOF {
				l.err = err
				l.end = l.pos + bytes.LastIndexByte(l.buf[l.pos:l.end], '\n') + 1
			}
			return
		}
		if n > 0 {
			return
		}
	}
	l.eof, l.err = true, errNoProgress
}
