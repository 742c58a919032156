package hl7

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// message builds a message of a type (ADT^A08) and version from segments.
func message(typ, version string, segs ...string) string {
	msh := `MSH|^~\&|PAS|RX1|CASETRACK|RX1|20261203101500||` + typ + `|MSG1|P|` + version
	return strings.Join(append([]string{msh}, segs...), "\r") + "\r"
}

// pid builds a PID segment from its fields by number.
func pid(fields map[int]string) string {
	last := 0
	for n := range fields {
		last = max(last, n)
	}
	parts := make([]string, last+1)
	parts[0] = "PID"
	for n, v := range fields {
		parts[n] = v
	}
	return strings.Join(parts, "|")
}

func mustDecode(tb testing.TB, dec Decoder, raw string) Event {
	tb.Helper()
	ev, err := dec.Decode(mustParse(tb, raw))
	if err != nil {
		tb.Fatalf("Decode: %v", err)
	}
	return ev
}

func date(s string) tracking.Date {
	d, err := tracking.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func set[T any](v T) Change[T]  { return Change[T]{Action: Set, Value: v} }
func cleared[T any]() Change[T] { return Change[T]{Action: Clear} }

func TestDecodePatientFromFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want Patient
	}{
		{"adt_a01_v24.hl7", Patient{HospitalNumber: "RX1234567", NHSNumber: set("9434765919"),
			FamilyName: set("O'NEILL"), GivenName: set("Siobhan"), BirthDate: set(date("1985-02-14")),
			DeathDate: cleared[tracking.Date](), Deceased: set(false)}},
		{"adt_a08_v23_lf.hl7", Patient{HospitalNumber: "RX7654321", NHSNumber: set("4857773457"),
			FamilyName: set("SMITH-JONES"), GivenName: set("Anne-Marie"), BirthDate: set(date("1947-03-01"))}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			ev := mustDecode(t, Decoder{}, readMessage(t, tt.file))
			if got, ok := ev.(Patient); !ok || got != tt.want {
				t.Fatalf("got %#v\nwant %#v", ev, tt.want)
			}
		})
	}
}

func TestDecodePatient(t *testing.T) {
	t.Parallel()
	const hosp = "RX1^^^RX1^MR"
	base := Patient{HospitalNumber: "RX1", FamilyName: set("SMITH"), GivenName: set("JOHN")}
	with := func(f func(*Patient)) Patient { p := base; f(&p); return p }
	tests := []struct {
		name   string
		fields map[int]string
		want   Patient
	}{
		{"NHSNumberFirst", map[int]string{3: "9434765919^^^NHS^NH~" + hosp, 5: "SMITH^JOHN"},
			with(func(p *Patient) { p.NHSNumber = set("9434765919") })},
		{"NHSByAuthorityOnly", map[int]string{3: "9434765919^^^NHS~" + hosp, 5: "SMITH^JOHN"},
			with(func(p *Patient) { p.NHSNumber = set("9434765919") })},
		{"NHSByTypeOnly", map[int]string{3: "9434765919^^^^NH~" + hosp, 5: "SMITH^JOHN"},
			with(func(p *Patient) { p.NHSNumber = set("9434765919") })},
		{"NHSByTypeNHSLowerCase", map[int]string{3: hosp + "~9434765919^^^nhs^nhs", 5: "SMITH^JOHN"},
			with(func(p *Patient) { p.NHSNumber = set("9434765919") })},
		{"NHSByOID", map[int]string{3: "9434765919^^^&2.16.840.1.113883.2.1.4.1&ISO~" + hosp, 5: "SMITH^JOHN"},
			with(func(p *Patient) { p.NHSNumber = set("9434765919") })},
		{"NHSNumberSpaced", map[int]string{3: hosp + "~943 476 5919^^^NHS^NH", 5: "SMITH^JOHN"},
			with(func(p *Patient) { p.NHSNumber = set("9434765919") })},
		{"NoNHSNumberKeeps", map[int]string{3: hosp, 5: "SMITH^JOHN"}, base},
		{"EmptyNHSNumberKeeps", map[int]string{3: "^^^NHS^NH~" + hosp, 5: "SMITH^JOHN"}, base},
		{"NullNHSNumberClears", map[int]string{3: `""^^^NHS^NH~` + hosp, 5: "SMITH^JOHN"},
			with(func(p *Patient) { p.NHSNumber = cleared[string]() })},
		{"HospitalNumberUpperCased", map[int]string{3: " rx1 ^^^RX1^MR", 5: "SMITH^JOHN"}, base},
		{"FirstOtherIdentifierIsHospitalNumber", map[int]string{3: hosp + "~OLD9^^^OLDPAS^PI", 5: "SMITH^JOHN"}, base},
		{"EmptyRepetitionsSkipped", map[int]string{3: `~""^^^RX1~` + hosp, 5: "SMITH^JOHN"}, base},
		{"HyphenatedNames", map[int]string{3: hosp, 5: "SMITH-JONES^Anne-Marie"},
			with(func(p *Patient) { p.FamilyName, p.GivenName = set("SMITH-JONES"), set("Anne-Marie") })},
		{"Apostrophe", map[int]string{3: hosp, 5: "O'NEILL^Siobhan"},
			with(func(p *Patient) { p.FamilyName, p.GivenName = set("O'NEILL"), set("Siobhan") })},
		{"EscapedDelimitersInName", map[int]string{3: hosp, 5: `LE\S\BLANC^Jean\T\Paul`},
			with(func(p *Patient) { p.FamilyName, p.GivenName = set("LE^BLANC"), set("Jean&Paul") })},
		{"SurnameSubcomponents", map[int]string{3: hosp, 5: "VAN DER BERG&VAN DER&BERG^Pieter"},
			with(func(p *Patient) { p.FamilyName, p.GivenName = set("VAN DER BERG"), set("Pieter") })},
		{"LegalNameChosen", map[int]string{3: hosp, 5: "BLOGGS^Jo^^^^^A~SMITH^JOHN^^^^^L"}, base},
		{"FirstNameWithoutLegal", map[int]string{3: hosp, 5: "SMITH^JOHN^^^^^A~BLOGGS^Jo^^^^^M"}, base},
		{"FamilyOnlyKeepsGiven", map[int]string{3: hosp, 5: "SMITH"},
			with(func(p *Patient) { p.GivenName = Change[string]{} })},
		{"NullGivenClears", map[int]string{3: hosp, 5: `SMITH^""`},
			with(func(p *Patient) { p.GivenName = cleared[string]() })},
		{"NullNameClearsBoth", map[int]string{3: hosp, 5: `""`},
			with(func(p *Patient) { p.FamilyName, p.GivenName = cleared[string](), cleared[string]() })},
		{"NoNameKeepsBoth", map[int]string{3: hosp},
			with(func(p *Patient) { p.FamilyName, p.GivenName = Change[string]{}, Change[string]{} })},
		{"BirthDate", map[int]string{3: hosp, 5: "SMITH^JOHN", 7: "19310824"},
			with(func(p *Patient) { p.BirthDate = set(date("1931-08-24")) })},
		{"BirthDateAndTimeWithPrecision", map[int]string{3: hosp, 5: "SMITH^JOHN", 7: "193108241230+0100^M"},
			with(func(p *Patient) { p.BirthDate = set(date("1931-08-24")) })},
		{"NullBirthDateClears", map[int]string{3: hosp, 5: "SMITH^JOHN", 7: `""`},
			with(func(p *Patient) { p.BirthDate = cleared[tracking.Date]() })},
		{"DeathDateAndIndicator", map[int]string{3: hosp, 5: "SMITH^JOHN", 29: "20261201083000", 30: "Y"},
			with(func(p *Patient) { p.DeathDate, p.Deceased = set(date("2026-12-01")), set(true) })},
		{"DeathDateAlone", map[int]string{3: hosp, 5: "SMITH^JOHN", 29: "20261201"},
			with(func(p *Patient) { p.DeathDate = set(date("2026-12-01")) })},
		{"NotDeceasedClearsDeathDate", map[int]string{3: hosp, 5: "SMITH^JOHN", 30: "n"},
			with(func(p *Patient) { p.DeathDate, p.Deceased = cleared[tracking.Date](), set(false) })},
		{"NullDeathDateClears", map[int]string{3: hosp, 5: "SMITH^JOHN", 29: `""`, 30: `""`},
			with(func(p *Patient) { p.DeathDate, p.Deceased = cleared[tracking.Date](), cleared[bool]() })},
		{"ExtraTrailingFields", map[int]string{3: hosp, 5: "SMITH^JOHN", 45: "future"}, base},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := mustDecode(t, Decoder{}, message("ADT^A08^ADT_A01", "2.5", "EVN|A08", pid(tt.fields), "ZPI|1|^~local"))
			if got, ok := ev.(Patient); !ok || got != tt.want {
				t.Fatalf("got %#v\nwant %#v", ev, tt.want)
			}
		})
	}
}

func TestDecodeHospitalAuthority(t *testing.T) {
	t.Parallel()
	raw := message("ADT^A31", "2.4", pid(map[int]string{3: "OLD9^^^OLDPAS^PI~9434765919^^^NHS^NH~rx1234^^^rx1^MR", 5: "SMITH^JOHN"}))
	if p := mustDecode(t, Decoder{HospitalAuthority: "RX1"}, raw).(Patient); p.HospitalNumber != "RX1234" {
		t.Errorf("by authority: %q", p.HospitalNumber)
	}
	if p := mustDecode(t, Decoder{}, raw).(Patient); p.HospitalNumber != "OLD9" {
		t.Errorf("first other identifier: %q", p.HospitalNumber)
	}
	_, err := Decoder{HospitalAuthority: "RX9"}.Decode(mustParse(t, raw))
	if o := OutcomeOf(err); o.Status != Refused || o.Code != CodeRequiredField || o.Location() != "PID-3" || !strings.Contains(o.Reason, "RX9") {
		t.Errorf("authority not present: %+v", o)
	}
}

func TestDecodeTriggerFromEVN(t *testing.T) {
	t.Parallel()
	ev := mustDecode(t, Decoder{}, message("ADT", "2.3", "EVN|A28|20261203", pid(map[int]string{3: "RX1", 5: "SMITH^JOHN"})))
	if p, ok := ev.(Patient); !ok || p.HospitalNumber != "RX1" {
		t.Fatalf("got %#v", ev)
	}
}

func TestDecodeMerge(t *testing.T) {
	t.Parallel()
	ev := mustDecode(t, Decoder{}, readMessage(t, "adt_a40_v25.hl7"))
	want := Merge{
		Survivor: Patient{HospitalNumber: "RX1234567", NHSNumber: set("9434765919"), FamilyName: set("O'NEILL"),
			GivenName: set("Siobhan"), BirthDate: set(date("1985-02-14"))},
		DuplicateHospitalNumber: "RX7777777",
	}
	if got, ok := ev.(Merge); !ok || got != want {
		t.Fatalf("got %#v\nwant %#v", ev, want)
	}
	// The duplicate's NHS number is not read: a bad one does not stop the merge.
	ev = mustDecode(t, Decoder{}, message("ADT^A40", "2.4", pid(map[int]string{3: "RX1"}), "MRG|9434765910^^^NHS^NH~RX2^^^RX1^MR"))
	if got := ev.(Merge).DuplicateHospitalNumber; got != "RX2" {
		t.Fatalf("duplicate %q", got)
	}
}

func TestDecodeAppointment(t *testing.T) {
	t.Parallel()
	loc := time.FixedZone("GMT", 0)
	dec := Decoder{Location: loc}
	patient := Patient{HospitalNumber: "RX1234567", FamilyName: set("O'NEILL"), GivenName: set("Siobhan"), BirthDate: set(date("1985-02-14"))}
	booked := patient
	booked.NHSNumber = set("9434765919")
	nineThirty := time.Date(2026, 12, 15, 9, 30, 0, 0, loc)
	const p = "PID|1||RX1^^^RX1^MR||SMITH^JOHN"
	tests := []struct {
		name, raw string
		want      Appointment
	}{
		{"S12FromFile", readMessage(t, "siu_s12_v25.hl7"), Appointment{ID: "APT000123", Clinic: "CARD1", Start: nineThirty, Patient: booked}},
		{"S15FromFile", readMessage(t, "siu_s15_v24.hl7"), Appointment{ID: "FIL987", Cancelled: true, Patient: patient}},
		{"StartFromAIL6", message("SIU^S13", "2.4", "SCH|A1", p, "AIL|1||CARD1|||202612150930"),
			Appointment{ID: "A1", Clinic: "CARD1", Start: nineThirty, Patient: shortPatient()}},
		{"StartFromTQ17", message("SIU^S14", "2.5", "SCH|A1", "TQ1|1||||||20261215093000", p, "AIL|1||CARD1"),
			Appointment{ID: "A1", Clinic: "CARD1", Start: nineThirty, Patient: shortPatient()}},
		{"StartWithOffset", message("SIU^S12", "2.5", "SCH|A1||||||||||^^^20261215103000+0100", p, "AIL|1||CARD1"),
			Appointment{ID: "A1", Clinic: "CARD1", Start: nineThirty, Patient: shortPatient()}},
		{"StartDateOnly", message("SIU^S12", "2.5", "SCH|A1", p, "AIL|1||CARD1|||20261215"),
			Appointment{ID: "A1", Clinic: "CARD1", Start: time.Date(2026, 12, 15, 0, 0, 0, 0, loc), Patient: shortPatient()}},
		{"ClinicFromSecondAIL", message("SIU^S12", "2.5", "SCH|A1", p, "AIL|1||^ROOM4", "AIL|2||CARD2^^^RX1|||202612150930"),
			Appointment{ID: "A1", Clinic: "CARD2", Start: nineThirty, Patient: shortPatient()}},
		{"S17Deleted", message("SIU^S17", "2.5", "SCH|A1^PAS", p),
			Appointment{ID: "A1", Cancelled: true, Patient: shortPatient()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := mustDecode(t, dec, tt.raw)
			got, ok := ev.(Appointment)
			if !ok || !got.Start.Equal(tt.want.Start) {
				t.Fatalf("got %#v\nwant %#v", ev, tt.want)
			}
			got.Start, tt.want.Start = time.Time{}, time.Time{}
			if got != tt.want {
				t.Fatalf("got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// shortPatient is the patient of the short SIU messages.
func shortPatient() Patient {
	return Patient{HospitalNumber: "RX1", FamilyName: set("SMITH"), GivenName: set("JOHN")}
}

func TestDecodeRefused(t *testing.T) {
	t.Parallel()
	const p = "PID|1||RX1^^^RX1^MR||SMITH^JOHN"
	adt := func(pid3 string, more ...string) string {
		return message("ADT^A08", "2.4", append([]string{"PID|1||" + pid3 + "||SMITH^JOHN"}, more...)...)
	}
	tests := []struct {
		name, raw string
		status    Status
		code      Code
		where     string
	}{
		{"NHSNumberCheckDigit", adt("9434765910^^^NHS^NH~RX1"), Refused, CodeDataType, "PID-3"},
		{"NHSNumberTooShort", adt("943476591^^^NHS^NH~RX1"), Refused, CodeDataType, "PID-3"},
		{"NHSNumberLetters", adt("943476591X^^^NHS^NH~RX1"), Refused, CodeDataType, "PID-3"},
		{"NoHospitalNumber", adt("9434765919^^^NHS^NH"), Refused, CodeRequiredField, "PID-3"},
		{"NoIdentifiers", adt(""), Refused, CodeRequiredField, "PID-3"},
		{"HospitalNumberCharacters", adt("RX 1*^^^RX1"), Refused, CodeDataType, "PID-3"},
		{"HospitalNumberTooLong", adt("RX12345678901234567890"), Refused, CodeDataType, "PID-3"},
		{"NoPID", message("ADT^A01", "2.4", "EVN|A01", "PV1|1|I"), Refused, CodeSegmentSequence, "PID"},
		{"BirthDateWithDashes", message("ADT^A04", "2.4", pid(map[int]string{3: "RX1", 7: "1985-02-14"})), Refused, CodeDataType, "PID-7"},
		{"BirthYearOnly", message("ADT^A04", "2.4", pid(map[int]string{3: "RX1", 7: "1985"})), Refused, CodeDataType, "PID-7"},
		{"DeathDateNotADate", message("ADT^A03", "2.4", pid(map[int]string{3: "RX1", 29: "yesterday"})), Refused, CodeDataType, "PID-29"},
		{"DeathIndicatorNotYN", message("ADT^A03", "2.4", pid(map[int]string{3: "RX1", 30: "X"})), Refused, CodeTableValue, "PID-30"},
		{"DeathDateButNotDeceased", message("ADT^A08", "2.4", pid(map[int]string{3: "RX1", 29: "20261201", 30: "N"})), Refused, CodeDataType, "PID-29"},
		{"NoControlID", strings.Replace(adt("RX1"), "|MSG1|", "||", 1), Rejected, CodeRequiredField, "MSH-10"},
		{"UnhandledType", message("ORU^R01", "2.4", p), Rejected, CodeUnsupportedType, ""},
		{"AnACK", message("ACK^A01", "2.4", "MSA|AA|X"), Rejected, CodeUnsupportedType, ""},
		{"NoType", message("", "2.4", p), Rejected, CodeUnsupportedType, ""},
		{"UnhandledADTTrigger", message("ADT^A02", "2.4", p), Rejected, CodeUnsupportedEvent, ""},
		{"UnhandledSIUTrigger", message("SIU^S26", "2.4", p), Rejected, CodeUnsupportedEvent, ""},
		{"MergeWithoutMRG", message("ADT^A40", "2.4", p), Refused, CodeSegmentSequence, "MRG"},
		{"MergeDuplicateWithoutHospitalNumber", message("ADT^A40", "2.4", p, "MRG|9434765919^^^NHS^NH"), Refused, CodeRequiredField, "MRG-1"},
		{"MergeSurvivorRefused", message("ADT^A40", "2.4", "PID|1||9434765910^^^NHS^NH~RX1", "MRG|RX2"), Refused, CodeDataType, "PID-3"},
		{"AppointmentWithoutSCH", message("SIU^S12", "2.5", p, "AIL|1||CARD1|||202612150930"), Refused, CodeSegmentSequence, "SCH"},
		{"AppointmentWithoutID", message("SIU^S12", "2.5", "SCH|^PAS|^PAS", p, "AIL|1||CARD1|||202612150930"), Refused, CodeRequiredField, "SCH-1"},
		{"AppointmentWithoutPID", message("SIU^S12", "2.5", "SCH|A1", "AIL|1||CARD1|||202612150930"), Refused, CodeSegmentSequence, "PID"},
		{"CancelWithoutPID", message("SIU^S15", "2.5", "SCH|A1"), Refused, CodeSegmentSequence, "PID"},
		{"AppointmentWithoutAIL", message("SIU^S12", "2.5", "SCH|A1||||||||||^^^202612150930", p), Refused, CodeSegmentSequence, "AIL"},
		{"AppointmentWithoutClinic", message("SIU^S12", "2.5", "SCH|A1", p, "AIL|1||^ROOM4|||202612150930"), Refused, CodeRequiredField, "AIL-3"},
		{"AppointmentWithoutStart", message("SIU^S13", "2.5", "SCH|A1", p, "AIL|1||CARD1"), Refused, CodeRequiredField, "SCH-11"},
		{"AppointmentStartNotATime", message("SIU^S12", "2.5", "SCH|A1||||||||||^^^2026-12-15 09:30", p, "AIL|1||CARD1"), Refused, CodeDataType, "SCH-11"},
		{"AppointmentStartMonthOnly", message("SIU^S12", "2.5", "SCH|A1", p, "AIL|1||CARD1|||202612"), Refused, CodeDataType, "AIL-6"},
		{"AppointmentStartBadInTQ1", message("SIU^S12", "2.5", "SCH|A1", "TQ1|1||||||31/12/2026", p, "AIL|1||CARD1"), Refused, CodeDataType, "TQ1-7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := Decoder{}.Decode(mustParse(t, tt.raw))
			var he *Error
			if !errors.As(err, &he) {
				t.Fatalf("Decode = %#v, %v; want an *Error", ev, err)
			}
			if ev != nil || he.Status != tt.status || he.Code != tt.code || he.Location() != tt.where || he.Reason == "" {
				t.Fatalf("Decode = %#v, %+v; want %s %d at %q", ev, he.Outcome, tt.status, tt.code, tt.where)
			}
		})
	}
}
