package hl7

import (
	"strings"
)

// Delimiters are the separators a message declares for itself in MSH-1 and
// MSH-2. A zero byte means the message declared none of that kind, so its
// text is never split (or unescaped) on it.
type Delimiters struct {
	Field, Component, Repetition, Escape, Subcomponent byte
}

// DefaultDelimiters are the ones nearly every system sends (|^~\&), and the
// ones an ACK uses when the message it answers could not be read.
var DefaultDelimiters = Delimiters{Field: '|', Component: '^', Repetition: '~', Escape: '\\', Subcomponent: '&'}

// Message is one parsed HL7 v2 message: its delimiters and its segments in
// the order they came. It keeps the text it was parsed from; every Value
// is a slice of it.
type Message struct {
	raw    string
	delims Delimiters
	segs   []Segment
}

// Segment is one line of a message: a three-character name and its fields.
type Segment struct {
	name   string
	fields []string // fields[0] is the name as sent; for MSH, fields[1] is MSH-2
	d      *Delimiters
}

// Parse reads an HL7 v2 message in ER7 form. Segments may end with CR, LF
// or CRLF; blank lines, a byte order mark and white space before MSH are
// skipped; segment names may be lower case. Bytes that are not UTF-8 are
// read as Windows-1252, as older PAS systems send them.
//
// It fails with an *Error whose Status is Rejected when the text is not an
// HL7 message: no MSH first, unusable delimiters, or a line that does not
// start with a segment name. It reads syntax only: which segments and
// fields a message needs is the Decoder's business.
func Parse(raw string) (*Message, error) {
	text := strings.TrimLeft(toUTF8(raw), "\ufeff \t\r\n")
	d, err := readDelimiters(text)
	if err != nil {
		return nil, err
	}
	m := &Message{raw: text, delims: d}
	lines := strings.Count(text, "\r") + strings.Count(text, "\n") + 1
	m.segs = make([]Segment, 0, lines)
	// One array holds every segment's fields: a separator or a line end
	// per field at most.
	fields := make([]string, 0, strings.Count(text, string(d.Field))+lines)
	for rest := text; rest != ""; {
		line := rest
		rest = ""
		if i := strings.IndexAny(line, "\r\n"); i >= 0 {
			line, rest = line[:i], line[i+1:]
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		seg, ok := parseSegment(line, &m.delims, &fields)
		if !ok {
			return nil, reject(CodeSegmentSequence, "Segment %d does not start with a segment name (a letter and two letters or digits).", len(m.segs)+1)
		}
		m.segs = append(m.segs, seg)
	}
	return m, nil
}

// readDelimiters reads MSH-1 and MSH-2 from the start of a message.
func readDelimiters(text string) (Delimiters, error) {
	if len(text) < 4 || !strings.EqualFold(text[:3], "MSH") {
		return Delimiters{}, reject(CodeSegmentSequence, "The message does not start with an MSH segment.")
	}
	d := Delimiters{Field: text[3]}
	enc := text[4:]
	if i := strings.IndexAny(enc, string([]byte{d.Field, '\r', '\n'})); i >= 0 {
		enc = enc[:i]
	}
	if !isDelimiter(d.Field) || enc == "" {
		return Delimiters{}, reject(CodeSegmentSequence, "MSH-1 and MSH-2 must declare the field separator and encoding characters.")
	}
	for i, p := range []*byte{&d.Component, &d.Repetition, &d.Escape, &d.Subcomponent} {
		if i < len(enc) {
			*p = enc[i]
		}
	}
	if !distinctDelimiters(d) {
		return Delimiters{}, reject(CodeSegmentSequence, "MSH-2 encoding characters must be punctuation, each different from the others.")
	}
	return d, nil
}

// isDelimiter reports whether b can separate text: printable ASCII that is
// neither a letter, a digit nor a space.
func isDelimiter(b byte) bool {
	return b > ' ' && b < 0x7f && !isAlnum(b)
}

func isAlnum(b byte) bool {
	return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
}

func distinctDelimiters(d Delimiters) bool {
	all := []byte{d.Field, d.Component, d.Repetition, d.Escape, d.Subcomponent}
	for i, b := range all {
		if b == 0 {
			continue
		}
		if !isDelimiter(b) || strings.IndexByte(string(all[:i]), b) >= 0 {
			return false
		}
	}
	return true
}

// parseSegment splits one line into its name and fields, appending the
// fields to all.
func parseSegment(line string, d *Delimiters, all *[]string) (Segment, bool) {
	if len(line) < 3 || !isSegmentName(line[:3]) || len(line) > 3 && line[3] != d.Field {
		return Segment{}, false
	}
	start := len(*all)
	for {
		i := strings.IndexByte(line, d.Field)
		if i < 0 {
			*all = append(*all, line)
			break
		}
		*all = append(*all, line[:i])
		line = line[i+1:]
	}
	fields := (*all)[start:len(*all):len(*all)]
	return Segment{name: strings.ToUpper(fields[0]), fields: fields, d: d}, true
}

// isSegmentName reports whether s is a segment name: a letter and two
// letters or digits (PID, PV1, ZU1), in either case.
func isSegmentName(s string) bool {
	return len(s) == 3 && isAlnum(s[0]) && !(s[0] >= '0' && s[0] <= '9') && isAlnum(s[1]) && isAlnum(s[2])
}

// Delimiters returns the separators the message declared.
func (m *Message) Delimiters() Delimiters { return m.delims }

// Raw returns the message's text as parsed: in UTF-8, without what came
// before MSH.
func (m *Message) Raw() string { return m.raw }

// Segments returns every segment in order, Z segments included.
func (m *Message) Segments() []Segment { return m.segs }

// Segment returns the first segment with the name (upper case, "PID"), and
// whether there was one.
func (m *Message) Segment(name string) (Segment, bool) {
	for _, s := range m.segs {
		if s.name == name {
			return s, true
		}
	}
	return Segment{}, false
}

// Name returns the segment's name in upper case.
func (s Segment) Name() string { return s.name }

// Len returns the number of the segment's last field as sent, so a loop
// from 1 to Len visits every field.
func (s Segment) Len() int {
	if s.name == "MSH" {
		return len(s.fields)
	}
	return len(s.fields) - 1
}

// Field returns field n, numbered as HL7 numbers it: PID-3 is Field(3),
// and in MSH, MSH-1 is the field separator itself and MSH-2 the encoding
// characters, both literal. A field the segment does not have reads empty.
func (s Segment) Field(n int) Value {
	if s.name == "MSH" {
		switch n {
		case 1:
			return Value{raw: string(s.d.Field)}
		case 2:
			if len(s.fields) < 2 {
				return Value{}
			}
			return Value{raw: s.fields[1]}
		}
		n--
	}
	if n < 1 || n >= len(s.fields) {
		return Value{d: s.d}
	}
	return Value{raw: s.fields[n], d: s.d}
}
