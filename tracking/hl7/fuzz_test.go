package hl7

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/casetrack/casetrack/tracking"
)

var testFiles = []string{"adt_a01_v24.hl7", "adt_a08_v23_lf.hl7", "adt_a40_v25.hl7", "siu_s12_v25.hl7", "siu_s15_v24.hl7"}

// FuzzParse checks that no text makes parsing, decoding or answering a
// message panic; that every piece of a parsed message reads as UTF-8; that
// what the Decoder accepts is what tracking would store; and that every
// message, readable or not, gets an ACK that parses, says the outcome and
// names the message's control id.
func FuzzParse(f *testing.F) {
	for _, name := range testFiles {
		f.Add(readMessage(f, name))
	}
	for _, s := range []string{
		"", "MSH", "MSH|^~\\&", "MSH|^~|A\rPID|||RX1", "MSH#$*!@#A\rPID###RX1##O!S!B",
		"MSH|^~\\&|\\X\\|\\XZ\\|\\X4\\|\\E\\|\\\r", "msh|^~\\&|A\npid|1||\"\"^^^NHS^NH~RX1||\"\"",
		"MSH|^~\\&|A||||||SIU^S12|1|P|2.5\rSCH|A1||||||||||^^^20261301\rPID|1||RX1\rAIL|1||C",
		"\ufeff\r\nMSH|^~\\&|A\xc9\x92||||||ADT^A40|1\rPID|1||RX1\rMRG|RX2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		m, err := Parse(raw)
		if err != nil {
			var he *Error
			if !errors.As(err, &he) || he.Status != Rejected {
				t.Fatalf("Parse error %v is not a Rejected *Error", err)
			}
			d := &Delivery{Raw: raw, Err: err, Received: ackTime}
			checkACK(t, d.ACK(nil), Rejected, headerOnly(raw))
			return
		}
		walk(t, m)
		ev, err := Decoder{}.Decode(m)
		checkEvent(t, ev, err)
		checkACK(t, ACK(m, OutcomeOf(err), ackTime), OutcomeOf(err).Status, m)
	})
}

// walk reads the pieces of every field (the first few of each kind, so
// that a long input does not take a square of its length), and a piece
// past each end.
func walk(t *testing.T, m *Message) {
	for _, s := range m.Segments() {
		for n := 0; n <= s.Len()+1; n++ {
			f := s.Field(n)
			reps := f.Reps()
			for _, rep := range append(reps[:min(len(reps), 8)], f.Rep(0), f.Rep(len(reps)+1)) {
				for c := 0; c <= min(strings.Count(rep.Raw(), "^")+1, 8); c++ {
					for sc := 0; sc <= min(strings.Count(rep.Raw(), "&")+1, 4); sc++ {
						if txt := rep.Component(c).Sub(sc).Text(); !utf8.ValidString(txt) {
							t.Fatalf("%s-%d reads as invalid UTF-8 %q", s.Name(), n, txt)
						}
					}
				}
			}
		}
	}
}

func checkEvent(t *testing.T, ev Event, err error) {
	if (ev == nil) == (err == nil) {
		t.Fatalf("Decode = %#v, %v", ev, err)
	}
	var p Patient
	switch e := ev.(type) {
	case Patient:
		p = e
	case Merge:
		p = e.Survivor
		if tracking.ValidateHospitalNumber(e.DuplicateHospitalNumber) != nil {
			t.Fatalf("duplicate hospital number %q", e.DuplicateHospitalNumber)
		}
	case Appointment:
		p = e.Patient
		if e.ID == "" || !e.Cancelled && (e.Clinic == "" || e.Start.IsZero()) {
			t.Fatalf("appointment %#v", e)
		}
	case nil:
		return
	}
	if tracking.ValidateHospitalNumber(p.HospitalNumber) != nil || p.NHSNumber.Action == Set && !tracking.ValidNHSNumber(p.NHSNumber.Value) {
		t.Fatalf("patient %#v", p)
	}
}

// checkACK parses an ACK and checks that it is the answer to m (nil when
// nothing of the message could be read).
func checkACK(t *testing.T, raw []byte, want Status, m *Message) {
	ack, err := Parse(string(raw))
	if err != nil {
		t.Fatalf("ACK %q does not parse: %v", raw, err)
	}
	segs := segmentNames(ack)
	if want == Applied && segs != "MSH MSA" || want != Applied && segs != "MSH MSA ERR" {
		t.Fatalf("ACK segments %q for %s", segs, want)
	}
	msa, _ := ack.Segment("MSA")
	control := ""
	if m != nil {
		control = m.Header().ControlID
	}
	if msa.Field(1).Text() != string(want) || strings.TrimSpace(msa.Field(2).Text()) != control {
		t.Fatalf("ACK %q: want %s for control id %q", raw, want, control)
	}
}

// FuzzEscape checks that text written into an ACK reads back as it was.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "O'NEILL", `a|b^c&d~e\f`, "line\r\nend", "\x00\x7f", "Zoë \\X41\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		d := DefaultDelimiters
		esc := escape(s, d)
		if strings.ContainsAny(esc, "|^&~\r\n") {
			t.Fatalf("escape(%q) = %q still holds a delimiter or line end", s, esc)
		}
		if back := unescape(esc, &d); back != s {
			t.Fatalf("escape(%q) = %q reads back as %q", s, esc, back)
		}
	})
}

// FuzzReader checks that no stream makes the MLLP reader panic, loop or
// return more than its limit, however the stream is cut into reads.
func FuzzReader(f *testing.F) {
	for _, s := range []string{"", "\x0b\x1c\r", "\x0bMSH|^~\\&\x1c\r\x0bPID\x1c", "junk\x0b\x0b\x1c\x1c\r\r", "\x0b" + strings.Repeat("x", 100)} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, oneByte bool) {
		const max = 64
		var src io.Reader = bytes.NewReader(data)
		if oneByte {
			src = iotest.OneByteReader(src)
		}
		r := NewReader(src, max)
		for i := 0; ; i++ {
			msg, err := r.ReadMessage()
			if len(msg) > max || bytes.IndexByte(msg, startBlock) >= 0 || bytes.IndexByte(msg, endBlock) >= 0 {
				t.Fatalf("message %d: %q", i, msg)
			}
			if err != nil {
				return
			}
			if i > len(data) {
				t.Fatal("more messages than bytes")
			}
		}
	})
}
