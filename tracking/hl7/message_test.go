package hl7

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readMessage returns a message from testdata as it is on disk.
func readMessage(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// mustParse parses a message that must parse.
func mustParse(tb testing.TB, raw string) *Message {
	tb.Helper()
	m, err := Parse(raw)
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return m
}

// mustSegment returns a segment that must be there.
func mustSegment(tb testing.TB, m *Message, name string) Segment {
	tb.Helper()
	s, ok := m.Segment(name)
	if !ok {
		tb.Fatalf("no %s segment", name)
	}
	return s
}

func segmentNames(m *Message) string {
	var names []string
	for _, s := range m.Segments() {
		names = append(names, s.Name())
	}
	return strings.Join(names, " ")
}

func TestParseFieldNumbering(t *testing.T) {
	t.Parallel()
	m := mustParse(t, readMessage(t, "adt_a01_v24.hl7"))
	if got := segmentNames(m); got != "MSH EVN PID PD1 PV1 NK1 ZU1" {
		t.Fatalf("segments %q", got)
	}
	msh, pid := mustSegment(t, m, "MSH"), mustSegment(t, m, "PID")
	tests := []struct {
		name string
		v    Value
		want string
	}{
		{"MSH1IsTheFieldSeparator", msh.Field(1), "|"},
		{"MSH2IsTheEncodingCharacters", msh.Field(2), `^~\&`},
		{"MSH3SendingApplication", msh.Field(3), "PAS"},
		{"MSH9Type", msh.Field(9).Component(1), "ADT"},
		{"MSH9Trigger", msh.Field(9).Component(2), "A01"},
		{"MSH10ControlID", msh.Field(10), "MSG00001"},
		{"MSH18LastField", msh.Field(18), "8859/1"},
		{"MSHFieldPastTheEnd", msh.Field(19), ""},
		{"PID1SetID", pid.Field(1), "1"},
		{"PID3FirstRepetitionFirstComponent", pid.Field(3), "RX1234567"},
		{"PID3SecondRepetition", pid.Field(3).Rep(2).Component(1), "9434765919"},
		{"PID3SecondRepetitionAuthority", pid.Field(3).Rep(2).Component(4), "NHS"},
		{"PID3SecondRepetitionType", pid.Field(3).Rep(2).Component(5), "NH"},
		{"PID3NoFourthRepetition", pid.Field(3).Rep(4), ""},
		{"PID5Family", pid.Field(5).Component(1), "O'NEILL"},
		{"PID5Given", pid.Field(5).Component(2), "Siobhan"},
		{"PID5NameType", pid.Field(5).Component(7), "L"},
		{"PID5FamilySubcomponent", pid.Field(5).Component(1).Sub(1), "O'NEILL"},
		{"PID5NoSecondSubcomponent", pid.Field(5).Component(1).Sub(2), ""},
		{"PID7BirthDate", pid.Field(7), "19850214"},
		{"PID30DeathIndicator", pid.Field(30), "N"},
		{"FieldZeroIsNothing", pid.Field(0), ""},
		{"NegativeFieldIsNothing", pid.Field(-1), ""},
		{"ComponentZeroIsNothing", pid.Field(5).Component(0), ""},
		{"SecondComponentOfAComponentIsNothing", pid.Field(5).Component(1).Component(2), ""},
	}
	for _, tt := range tests {
		if got := tt.v.Text(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := pid.Len(); got != 30 {
		t.Errorf("PID Len %d, want 30", got)
	}
	if got := msh.Len(); got != 18 {
		t.Errorf("MSH Len %d, want 18", got)
	}
	if got := len(pid.Field(3).Reps()); got != 3 {
		t.Errorf("PID-3 has %d repetitions, want 3", got)
	}
}

func TestParseLineEnds(t *testing.T) {
	t.Parallel()
	segs := []string{`MSH|^~\&|PAS|RX1|||20261203||ADT^A08|1|P|2.4`, "PID|1||RX1^^^RX1^MR||SMITH^JOHN", "PV1|1|O"}
	tests := []struct{ name, raw string }{
		{"CR", strings.Join(segs, "\r") + "\r"},
		{"LF", strings.Join(segs, "\n") + "\n"},
		{"CRLF", strings.Join(segs, "\r\n") + "\r\n"},
		{"Mixed", segs[0] + "\r\n" + segs[1] + "\n" + segs[2] + "\r"},
		{"NoFinalEnd", strings.Join(segs, "\r")},
		{"BlankLinesAndBOM", "\ufeff\r\n\r\n" + strings.Join(segs, "\r\n\r\n") + "\r\n  \r\n"},
		{"LowerCaseNames", strings.ToLower(segs[0][:3]) + segs[0][3:] + "\r" + "pid" + segs[1][3:] + "\r" + "Pv1" + segs[2][3:]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, tt.raw)
			if got := segmentNames(m); got != "MSH PID PV1" {
				t.Fatalf("segments %q", got)
			}
			if got := mustSegment(t, m, "PID").Field(5).Component(2).Text(); got != "JOHN" {
				t.Fatalf("PID-5.2 %q", got)
			}
			if got := mustSegment(t, m, "PV1").Field(2).Text(); got != "O" {
				t.Fatalf("PV1-2 %q", got)
			}
		})
	}
}

func TestParseRejected(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, raw string }{
		{"Empty", ""},
		{"WhiteSpace", " \r\n\t"},
		{"NotHL7", "hello world"},
		{"HTTPRequest", "GET / HTTP/1.1\r\nHost: casetrack\r\n\r\n"},
		{"MSHAlone", "MSH"},
		{"NoEncodingCharacters", "MSH||PAS"},
		{"LetterAsFieldSeparator", "MSHX^~\\&XPAS"},
		{"SpaceAsFieldSeparator", "MSH ^~\\& PAS"},
		{"RepeatedEncodingCharacter", "MSH|^^\\&|PAS"},
		{"DigitEncodingCharacter", "MSH|^~1&|PAS"},
		{"FirstSegmentNotMSH", "PID|1||RX1\rMSH|^~\\&|PAS"},
		{"SegmentNameTooLong", "MSH|^~\\&|PAS\rPIDX|1"},
		{"SegmentNameTooShort", "MSH|^~\\&|PAS\rPI|1"},
		{"SegmentNameStartsWithDigit", "MSH|^~\\&|PAS\r1AB|1"},
		{"SegmentNameWithPunctuation", "MSH|^~\\&|PAS\rP-D|1"},
		{"SegmentNameThenOtherSeparator", "MSH|^~\\&|PAS\rPID^1"},
		{"BinaryJunk", "MSH|^~\\&|PAS\r\x00\x01\x02\x03"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(tt.raw)
			var he *Error
			if !errors.As(err, &he) || he.Status != Rejected || he.Reason == "" {
				t.Fatalf("Parse = %v, %v; want a Rejected *Error", m, err)
			}
		})
	}
}

func TestParseDelimitersDeclared(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, raw string
		want      Delimiters
		family    string
	}{
		{"Standard", "MSH|^~\\&|A\rPID|||X||O\\S\\BRIEN^PAT", DefaultDelimiters, "O^BRIEN"},
		{"Unusual", "MSH#$*!@#A\rPID###X##O!S!BRIEN$PAT", Delimiters{'#', '$', '*', '!', '@'}, "O$BRIEN"},
		{"TruncationCharacterIgnored", "MSH|^~\\&#|A\rPID|||X||LE\\S\\BLANC^PAT", DefaultDelimiters, "LE^BLANC"},
		{"NoEscapeOrSubcomponent", "MSH|^~|A\rPID|||X||SMITH\\S\\&CO^PAT", Delimiters{Field: '|', Component: '^', Repetition: '~'}, "SMITH\\S\\&CO"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, tt.raw)
			if got := m.Delimiters(); got != tt.want {
				t.Fatalf("delimiters %q, want %q", got, tt.want)
			}
			if got := mustSegment(t, m, "PID").Field(5).Component(1).Text(); got != tt.family {
				t.Fatalf("family %q, want %q", got, tt.family)
			}
			if got := mustSegment(t, m, "PID").Field(5).Component(2).Text(); got != "PAT" {
				t.Fatalf("given %q", got)
			}
		})
	}
}

func TestValueNullAndEmpty(t *testing.T) {
	t.Parallel()
	m := mustParse(t, "MSH|^~\\&|A\rPID|1|\"\"||\"\"^JOHN|x^\"\"|\"\"\"\"")
	pid := mustSegment(t, m, "PID")
	tests := []struct {
		name        string
		v           Value
		null, empty bool
		text        string
		raw         string
	}{
		{"NullField", pid.Field(2), true, false, "", `""`},
		{"EmptyField", pid.Field(3), false, true, "", ""},
		{"AbsentField", pid.Field(40), false, true, "", ""},
		{"NullComponent", pid.Field(4).Component(1), true, false, "", `""`},
		{"FieldWithNullComponentIsNotNull", pid.Field(4), false, false, "", `""^JOHN`},
		{"ValueBesideNull", pid.Field(4).Component(2), false, false, "JOHN", "JOHN"},
		{"SecondComponentNull", pid.Field(5).Component(2), true, false, "", `""`},
		{"FourQuotesIsText", pid.Field(6), false, false, `""""`, `""""`},
	}
	for _, tt := range tests {
		if tt.v.IsNull() != tt.null || tt.v.IsEmpty() != tt.empty || tt.v.Text() != tt.text || tt.v.Raw() != tt.raw {
			t.Errorf("%s: null %v empty %v text %q raw %q; want %v %v %q %q", tt.name,
				tt.v.IsNull(), tt.v.IsEmpty(), tt.v.Text(), tt.v.Raw(), tt.null, tt.empty, tt.text, tt.raw)
		}
	}
}

func TestParseNotUTF8(t *testing.T) {
	t.Parallel()
	// An older PAS writing Windows-1252: É is 0xC9, a typographic apostrophe 0x92.
	m := mustParse(t, "MSH|^~\\&|A\rPID|||X||O\x92NEILL^ZO\xc9")
	pid := mustSegment(t, m, "PID")
	if got := pid.Field(5).Component(1).Text(); got != "O\u2019NEILL" {
		t.Errorf("family %q", got)
	}
	if got := pid.Field(5).Component(2).Text(); got != "ZOÉ" {
		t.Errorf("given %q", got)
	}
	if got := mustParse(t, "MSH|^~\\&|A\rPID|||X||M\\XDC\\LLER").Segments()[1].Field(5).Text(); got != "MÜLLER" {
		t.Errorf("hex escape of a Windows-1252 byte: %q", got)
	}
}
