package hl7

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Application is how casetrack names itself in an ACK's MSH-3 when the
// message it answers did not name its receiving application.
const Application = "CASETRACK"

// msaTextLimit is MSA-3's length in v2.3 and v2.4; the whole reason goes
// in ERR.
const msaTextLimit = 80

// ACK builds the original-mode acknowledgement (MSH-15 and MSH-16 are
// ignored) of m: an MSH in m's own delimiters and version with sender and
// receiver swapped, MSA with the outcome's status and m's control id, and
// for AE and AR an ERR saying where and why, in the form m's version reads
// (ERR-1 before v2.5, ERR-2 to ERR-8 from it). m is nil when nothing of the
// message could be read. at is MSH-7. The ACK's own control id is m's, so
// the same message, outcome and time always give the same bytes.
func ACK(m *Message, o Outcome, at time.Time) []byte {
	w := ackWriter{d: DefaultDelimiters}
	var msh Segment
	if m != nil {
		msh, _ = m.Segment("MSH")
		w.same = complete(m.delims)
		if w.same {
			w.d = m.delims
		}
	}
	version := orText(w.echo(msh.Field(12)), "2.5")
	control := w.echo(msh.Field(10))
	enc := string([]byte{w.d.Component, w.d.Repetition, w.d.Escape, w.d.Subcomponent})
	w.segment("MSH", enc, orText(w.echo(msh.Field(5)), Application), w.echo(msh.Field(6)),
		w.echo(msh.Field(3)), w.echo(msh.Field(4)), at.Format("20060102150405-0700"), "",
		w.messageType(m, version), control, orText(w.echo(msh.Field(11)), "P"), version)
	if o.Status == Applied {
		w.segment("MSA", string(o.Status), control)
		return []byte(w.b.String())
	}
	w.segment("MSA", string(o.Status), control, escape(truncate(o.Reason, msaTextLimit), w.d))
	w.err(o, versionAtLeast(version, 2, 5, 0))
	return []byte(w.b.String())
}

// complete reports whether a message declared all four encoding
// characters, so that its ACK can be written in its own delimiters.
func complete(d Delimiters) bool {
	return d.Component != 0 && d.Repetition != 0 && d.Escape != 0 && d.Subcomponent != 0
}

// ackWriter writes segments in a message's delimiters.
type ackWriter struct {
	b    strings.Builder
	d    Delimiters
	same bool // d are the delimiters of the message answered
}

// echo returns a field of the message answered as the ACK writes it: as
// sent when the ACK is in the message's delimiters, else as its text.
func (w *ackWriter) echo(v Value) string {
	if w.same {
		return v.Raw()
	}
	return escape(text(v), w.d)
}

// segment writes one segment from already escaped fields.
func (w *ackWriter) segment(name string, fields ...string) {
	w.b.WriteString(name)
	for _, f := range fields {
		w.b.WriteByte(w.d.Field)
		w.b.WriteString(f)
	}
	w.b.WriteByte('\r')
}

// join writes components (or subcomponents) already escaped.
func join(sep byte, parts ...string) string {
	return strings.Join(parts, string(sep))
}

// messageType is MSH-9 of the ACK: ACK^A01^ACK, or ACK^A01 before v2.3.1.
func (w *ackWriter) messageType(m *Message, version string) string {
	if m == nil {
		return "ACK"
	}
	trigger := escape(m.Header().Trigger, w.d)
	if trigger == "" {
		return "ACK"
	}
	if !versionAtLeast(version, 2, 3, 1) {
		return join(w.d.Component, "ACK", trigger)
	}
	return join(w.d.Component, "ACK", trigger, "ACK")
}

// err writes the ERR segment: ERR-1 (segment^sequence^field^code&text&
// table) before v2.5, ERR-2 (location), ERR-3 (code), ERR-4 (severity) and
// ERR-8 (the reason) from it.
func (w *ackWriter) err(o Outcome, v25 bool) {
	seq, field := "", ""
	if o.Segment != "" {
		seq = "1"
	}
	if o.Field > 0 {
		field = strconv.Itoa(o.Field)
	}
	code := strconv.Itoa(int(o.Code))
	reason := escape(o.Reason, w.d)
	if !v25 {
		w.segment("ERR", join(w.d.Component, o.Segment, seq, field, join(w.d.Subcomponent, code, reason, "HL70357")))
		return
	}
	where := strings.TrimRight(join(w.d.Component, o.Segment, seq, field), string(w.d.Component))
	w.segment("ERR", "", where, join(w.d.Component, code, escape(o.Code.Text(), w.d), "HL70357"), "E", "", "", "", reason)
}

// versionAtLeast reports whether an HL7 version ("2.3.1") is at least
// major.minor.patch; one it cannot read counts as the newest.
func versionAtLeast(v string, major, minor, patch int) bool {
	want := [3]int{major, minor, patch}
	parts := strings.SplitN(strings.TrimSpace(v), ".", 3)
	for i := range want {
		n := 0
		if i < len(parts) {
			var err error
			if n, err = strconv.Atoi(parts[i]); err != nil {
				return true
			}
		}
		if n != want[i] {
			return n > want[i]
		}
	}
	return true
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
