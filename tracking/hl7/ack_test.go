package hl7

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

var ackTime = time.Date(2026, 12, 3, 10, 15, 1, 0, time.UTC)

func TestACK(t *testing.T) {
	t.Parallel()
	const nhsReason = "PID-3: NHS number 943 476 5910 fails its check digit: please check it was copied correctly."
	refusedPID3 := Outcome{Status: Refused, Code: CodeDataType, Segment: "PID", Field: 3, Reason: nhsReason}
	tests := []struct {
		name string
		m    *Message
		o    Outcome
		want string
	}{
		{"AppliedV24", mustParse(t, readMessage(t, "adt_a01_v24.hl7")), Outcome{Status: Applied},
			"MSH|^~\\&|CASETRACK|RX1|PAS|RX1|20261203101501+0000||ACK^A01^ACK|MSG00001|P|2.4\r" +
				"MSA|AA|MSG00001\r"},
		{"RefusedV25", mustParse(t, readMessage(t, "adt_a40_v25.hl7")), refusedPID3,
			"MSH|^~\\&|CASETRACK|RX1|PAS|RX1|20261203101501+0000||ACK^A40^ACK|MSG00003|P|2.5\r" +
				"MSA|AE|MSG00003|" + nhsReason[:80] + "\r" +
				"ERR||PID^1^3|102^Data type error^HL70357|E||||" + nhsReason + "\r"},
		{"RefusedV23", mustParse(t, readMessage(t, "adt_a08_v23_lf.hl7")), refusedPID3,
			"MSH|^~\\&|TIE|RX1|IPM|RX1|20261203101501+0000||ACK^A08|20261203-0042|P|2.3\r" +
				"MSA|AE|20261203-0042|" + nhsReason[:80] + "\r" +
				"ERR|PID^1^3^102&" + nhsReason + "&HL70357\r"},
		{"RefusedSegmentOnlyV25", mustParse(t, message("SIU^S12", "2.5.1", "SCH|A1")),
			Outcome{Status: Refused, Code: CodeSegmentSequence, Segment: "PID", Reason: "The PID segment is missing."},
			"MSH|^~\\&|CASETRACK|RX1|PAS|RX1|20261203101501+0000||ACK^S12^ACK|MSG1|P|2.5.1\r" +
				"MSA|AE|MSG1|The PID segment is missing.\r" +
				"ERR||PID^1|100^Segment sequence error^HL70357|E||||The PID segment is missing.\r"},
		{"RejectedUnhandled", mustParse(t, message("ORU^R01", "2.4", "OBR|1")),
			Outcome{Status: Rejected, Code: CodeUnsupportedType, Reason: `Message type "ORU" is not handled.`},
			"MSH|^~\\&|CASETRACK|RX1|PAS|RX1|20261203101501+0000||ACK^R01^ACK|MSG1|P|2.4\r" +
				"MSA|AR|MSG1|Message type \"ORU\" is not handled.\r" +
				"ERR|^^^200&Message type \"ORU\" is not handled.&HL70357\r"},
		{"RejectedUnreadable", nil,
			Outcome{Status: Rejected, Code: CodeSegmentSequence, Reason: "The message does not start with an MSH segment."},
			"MSH|^~\\&|CASETRACK||||20261203101501+0000||ACK||P|2.5\r" +
				"MSA|AR||The message does not start with an MSH segment.\r" +
				"ERR|||100^Segment sequence error^HL70357|E||||The message does not start with an MSH segment.\r"},
		{"ReasonEscaped", mustParse(t, message("ADT^A08", "2.5", "PID|1||RX1")),
			Outcome{Status: Refused, Code: CodeUnknownKey, Reason: "No clinic A|B^C~D\\E&F\r\nhere."},
			"MSH|^~\\&|CASETRACK|RX1|PAS|RX1|20261203101501+0000||ACK^A08^ACK|MSG1|P|2.5\r" +
				"MSA|AE|MSG1|No clinic A\\F\\B\\S\\C\\R\\D\\E\\E\\T\\F\\X0D\\\\X0A\\here.\r" +
				"ERR|||204^Unknown key identifier^HL70357|E||||No clinic A\\F\\B\\S\\C\\R\\D\\E\\E\\T\\F\\X0D\\\\X0A\\here.\r"},
		{"OwnDelimiters", mustParse(t, "MSH#$*!@#PAS$X#RX1#ENGINE##2026##ADT$A08#C!F!1#T#2.4\rPID###RX1"),
			Outcome{Status: Refused, Code: CodeDataType, Segment: "PID", Field: 7, Reason: "Bad #1$"},
			"MSH#$*!@#ENGINE##PAS$X#RX1#20261203101501+0000##ACK$A08$ACK#C!F!1#T#2.4\r" +
				"MSA#AE#C!F!1#Bad !F!1!S!\r" +
				"ERR#PID$1$7$102@Bad !F!1!S!@HL70357\r"},
		{"IncompleteDelimitersAnsweredInDefaults", mustParse(t, "MSH|^~|PAS^X|RX1|||2026||ADT^A08|C\\F\\1|P|2.4\rPID|||RX1"),
			Outcome{Status: Applied},
			"MSH|^~\\&|CASETRACK||PAS|RX1|20261203101501+0000||ACK^A08^ACK|C\\E\\F\\E\\1|P|2.4\r" +
				"MSA|AA|C\\E\\F\\E\\1\r"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(ACK(tt.m, tt.o, ackTime))
			if got != tt.want {
				t.Fatalf("ACK:\n%q\nwant\n%q", got, tt.want)
			}
			ack := mustParse(t, got)
			msa := mustSegment(t, ack, "MSA")
			if h := ack.Header(); h.Type != "ACK" || msa.Field(1).Text() != string(tt.o.Status) {
				t.Fatalf("ACK reads back as %+v, MSA-1 %q", h, msa.Field(1).Text())
			}
			if tt.o.Status != Applied && !strings.HasPrefix(tt.o.Reason, msa.Field(3).Text()) {
				t.Fatalf("MSA-3 reads back as %q", msa.Field(3).Text())
			}
		})
	}
}

func TestACKTruncatesMSA3OnACharacter(t *testing.T) {
	t.Parallel()
	reason := strings.Repeat("é", 60) // 120 bytes
	ack := mustParse(t, string(ACK(nil, Outcome{Status: Refused, Code: CodeInternal, Reason: reason}, ackTime)))
	msa3 := mustSegment(t, ack, "MSA").Field(3).Text()
	if msa3 != strings.Repeat("é", 40) {
		t.Fatalf("MSA-3 %q", msa3)
	}
	if got := mustSegment(t, ack, "ERR").Field(8).Text(); got != reason {
		t.Fatalf("ERR-8 %q", got)
	}
}

func TestDeliveryACK(t *testing.T) {
	t.Parallel()
	// A message whose MSH reads but whose body does not: the AR names its control id.
	raw := "MSH|^~\\&|PAS|RX1|CASETRACK|RX1|2026||ADT^A08|C42|P|2.4\r\x00\x01 not a segment\r"
	m, err := Parse(raw)
	d := &Delivery{Raw: raw, Message: m, Err: err, Received: ackTime}
	if m != nil || err == nil {
		t.Fatalf("Parse = %v, %v", m, err)
	}
	ack := mustParse(t, string(d.ACK(nil)))
	msa := mustSegment(t, ack, "MSA")
	if msa.Field(1).Text() != "AR" || msa.Field(2).Text() != "C42" || ack.Header().Trigger != "A08" {
		t.Fatalf("ACK %q", d.ACK(nil))
	}
	if o := d.Outcome(nil); o.Status != Rejected {
		t.Fatalf("an unreadable message is rejected whatever the handler says: %+v", o)
	}
	if first := d.ACK(nil); !bytes.Equal(first, d.ACK(nil)) {
		t.Fatal("the same delivery gives different ACKs")
	}
}

func TestVersionAtLeast(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    string
		want bool
	}{
		{"2.3", false}, {"2.3.1", true}, {"2.4", true}, {"2.5", true}, {"2.10", true}, {"2", false}, {"", true}, {"x", true},
	}
	for _, tt := range tests {
		if got := versionAtLeast(tt.v, 2, 3, 1); got != tt.want {
			t.Errorf("versionAtLeast(%q, 2.3.1) = %v", tt.v, got)
		}
	}
}
