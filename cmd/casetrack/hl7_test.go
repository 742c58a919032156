package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/casetrack/casetrack/tracking/hl7"
)

// feedClient is an interface engine's end of an MLLP connection.
type feedClient struct {
	t testing.TB
	c net.Conn
	r *hl7.Reader
}

func dialFeed(t testing.TB, s *testServer) *feedClient {
	t.Helper()
	c, err := net.Dial("tcp", s.m.HL7Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(30 * time.Second))
	return &feedClient{t: t, c: c, r: hl7.NewReader(c, 0)}
}

// send frames and sends each message, in one write, and returns the MSA of
// each answer ("AA M1").
func (f *feedClient) send(msgs ...string) []string {
	f.t.Helper()
	var b bytes.Buffer
	for _, m := range msgs {
		hl7.WriteMessage(&b, []byte(m))
	}
	if _, err := f.c.Write(b.Bytes()); err != nil {
		f.t.Fatal(err)
	}
	return f.answers(len(msgs))
}

func (f *feedClient) answers(n int) []string {
	f.t.Helper()
	var out []string
	for range n {
		ack, err := f.r.ReadMessage()
		if err != nil {
			f.t.Fatalf("reading the ACK: %v", err)
		}
		m, err := hl7.Parse(string(ack))
		if err != nil {
			f.t.Fatalf("ACK %q: %v", ack, err)
		}
		msa, _ := m.Segment("MSA")
		out = append(out, msa.Field(1).Text()+" "+msa.Field(2).Text())
	}
	return out
}

// adt is an ADT message of the trigger with control id and PID as given,
// its segments ended by CR as senders end them.
func adt(trigger, control, pid string, more ...string) string {
	segs := append([]string{"MSH|^~\\&|PAS|RX1|CASETRACK|RX1|20261203120000||ADT^" + trigger + "^ADT_A01|" + control + "|P|2.4",
		"EVN|" + trigger + "|20261203120000", pid, "PV1|1|O"}, more...)
	return strings.Join(segs, "\r") + "\r"
}

const pidSiobhan = `PID|1||RX100^^^RX1^MR~9434765919^^^NHS^NH~A77^^^OLDPAS^MR||O'NEILL-SMITH^Siobhan^M^^Ms^^L||19311224|F|||1 High St^^Leeds^^LS1 1AA||||||||||||||||||`

// TestFeedEndToEnd runs real-shaped PAS messages through the listener a
// serve starts, on both databases: creates, updates, a resend, refusals
// with their reasons, a merge, and what is not HL7.
func TestFeedEndToEnd(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect, "--hl7-listen", "127.0.0.1:0")
		lib := s.token("library")
		s.call(lib, "POST", "/api/v1/locations", map[string]string{"code": "LIB", "name": "Library", "kind": "library"}, nil)
		f := dialFeed(t, s)
		lfSeparated := strings.ReplaceAll(adt("A08", "M3", "PID|1||RX101^^^RX1^MR||JONES^Tom||19500203|M"), "\r", "\n")
		got := f.send(adt("A28", "M1", pidSiobhan), adt("A28", "M1", pidSiobhan), lfSeparated)
		want := []string{"AA M1", "AA M1", "AA M3"}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("answers %v, want %v", got, want)
		}
		var found struct{ Patients []patientAnswer }
		s.call(lib, "GET", "/api/v1/patients?nhs_number=943+476+5919", nil, &found)
		if len(found.Patients) != 1 || found.Patients[0].HospitalNumber != "RX100" || found.Patients[0].FamilyName != "O'NEILL-SMITH" ||
			found.Patients[0].BirthDate != "1931-12-24" || len(found.Patients[0].Volumes) != 0 {
			t.Fatalf("patient from the feed: %+v", found)
		}
		checkFeedRefusals(t, s, f)
		checkFeedMerge(t, s, f, lib)
		checkFeedNotHL7(t, s)
		checkFeedKept(t, s)
	})
}

func checkFeedRefusals(t *testing.T, s *testServer, f *feedClient) {
	t.Helper()
	tests := []struct {
		name, msg, want string
	}{
		{"ErrNHSCheckDigit", adt("A08", "M4", "PID|1||RX100^^^RX1^MR~9434765918^^^NHS^NH||O'NEILL^Siobhan"), "AE M4"},
		{"ErrBirthDateDiffers", adt("A08", "M5", "PID|1||RX100^^^RX1^MR||O'NEILL^Siobhan||19321224"), "AE M5"},
		{"ErrNHSNumberOfAnother", adt("A04", "M6", "PID|1||RX555^^^RX1^MR~9434765919^^^NHS^NH||OTHER^Person"), "AE M6"},
		{"ErrNoPID", "MSH|^~\\&|PAS|RX1|||20261203120000||ADT^A08|M7|P|2.5\rEVN|A08\r", "AE M7"},
		{"ErrNotHandled", adt("A17", "M8", "PID|1||RX100^^^RX1^MR||X"), "AR M8"},
	}
	for _, tc := range tests {
		if got := f.send(tc.msg); got[0] != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, got, tc.want)
		}
	}
	var found struct{ Patients []patientAnswer }
	s.call(s.token("records"), "GET", "/api/v1/patients?hospital_number=RX100", nil, &found)
	if p := found.Patients[0]; p.FamilyName != "O'NEILL-SMITH" || p.BirthDate != "1931-12-24" {
		t.Errorf("refused messages changed the patient: %+v", p)
	}
}

// checkFeedMerge: an A40 moves the duplicate's folders to the survivor,
// whose old and new numbers then find it; an A40 sent again is AA and
// changes nothing more.
func checkFeedMerge(t *testing.T, s *testServer, f *feedClient, lib string) {
	t.Helper()
	s.call(lib, "POST", "/api/v1/patients", map[string]string{"hospital_number": "RX900", "family_name": "O'Neill", "home": "LIB"}, nil)
	merge := adt("A40", "M10", "PID|1||RX100^^^RX1^MR||O'NEILL-SMITH^Siobhan||19311224", "MRG|RX900^^^RX1^MR")
	if got := f.send(merge, merge); strings.Join(got, ",") != "AA M10,AA M10" {
		t.Fatalf("A40 answers %v", got)
	}
	var found struct{ Patients []patientAnswer }
	s.call(lib, "GET", "/api/v1/patients?hospital_number=RX900", nil, &found)
	if len(found.Patients) != 1 || found.Patients[0].HospitalNumber != "RX100" || len(found.Patients[0].Volumes) != 1 {
		t.Errorf("RX900 after the A40: %+v", found)
	}
	var merges struct{ Merges []struct{ Channel string } }
	if s.call(lib, "GET", "/api/v1/merges", nil, &merges); len(merges.Merges) != 1 || merges.Merges[0].Channel != tracking.MergeByFeed {
		t.Errorf("merges after the A40: %+v", merges)
	}
}

// checkFeedNotHL7: bytes that are not HL7 are AR; a message over 1 MiB is
// AR and its connection closed; a connection dropped mid-message changes
// nothing; a message split across many writes arrives whole.
func checkFeedNotHL7(t *testing.T, s *testServer) {
	t.Helper()
	f := dialFeed(t, s)
	if got := f.send("GET / HTTP/1.1\r\nHost: x\r\n"); !strings.HasPrefix(got[0], "AR") {
		t.Errorf("not HL7: %v", got)
	}
	large := adt("A08", "M11", "PID|1||RX100^^^RX1^MR||O'NEILL^"+strings.Repeat("x", 1<<20))
	if got := f.send(large); got[0] != "AR M11" {
		t.Errorf("1 MiB message: %v", got)
	}
	dropped := dialFeed(t, s)
	dropped.c.Write([]byte("\x0b" + adt("A08", "M12", "PID|1||RX100^^^RX1^MR||DROPPED^Half")[:60]))
	dropped.c.Close()
	split := dialFeed(t, s)
	var framed bytes.Buffer
	hl7.WriteMessage(&framed, []byte(adt("A08", "M13", "PID|1||RX100^^^RX1^MR||O'NEILL-SMITH^Siobhan^Mary")))
	for b := framed.Bytes(); len(b) > 0; b = b[min(7, len(b)):] {
		split.c.Write(b[:min(7, len(b))])
		time.Sleep(time.Millisecond)
	}
	if got := split.answers(1); got[0] != "AA M13" {
		t.Errorf("split message: %v", got)
	}
}

// checkFeedKept: every message is kept with its outcome, for /feed.
func checkFeedKept(t *testing.T, s *testServer) {
	t.Helper()
	ctx := context.Background()
	a := tracking.Actor{Name: "test", Role: tracking.RoleRecords}
	ms, err := s.m.Service.FindFeedMessages(ctx, a, tracking.FeedFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	byStatus := map[string]int{}
	for _, m := range ms {
		byStatus[m.Status]++
		if m.ControlID == "M12" {
			t.Errorf("a message cut short was kept: %+v", m)
		}
	}
	if byStatus["AA"] != 6 || byStatus["AE"] != 4 || byStatus["AR"] != 3 {
		t.Errorf("kept by outcome %v, want 6 AA, 4 AE, 3 AR", byStatus)
	}
	refused, _ := s.m.Service.FindFeedMessages(ctx, a, tracking.FeedFilter{Status: "AE", Limit: 1})
	if len(refused) != 1 || refused[0].ControlID != "M7" || refused[0].Where != "PID" || !strings.Contains(refused[0].ACK, "MSA|AE|M7") ||
		!strings.Contains(refused[0].Reason, "PID segment is missing") {
		t.Errorf("latest refusal %+v", refused)
	}
}

// TestFeedHospitalAuthority: with --hl7-hospital-authority the hospital
// number is the PID-3 identifier of that assigning authority, wherever it
// comes among the repetitions.
func TestFeedHospitalAuthority(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		s := startServer(t, dialect, "--hl7-listen", "127.0.0.1:0", "--hl7-hospital-authority", "RX1")
		f := dialFeed(t, s)
		pid := "PID|1||A77^^^OLDPAS^MR~9434765919^^^NHS^NH~RX200^^^RX1^MR||SMITH^Ann"
		if got := f.send(adt("A04", "H1", pid)); got[0] != "AA H1" {
			t.Fatalf("answer %v", got)
		}
		var found struct{ Patients []patientAnswer }
		s.call(s.token("clerk"), "GET", "/api/v1/patients?nhs_number=9434765919", nil, &found)
		if len(found.Patients) != 1 || found.Patients[0].HospitalNumber != "RX200" {
			t.Errorf("patient %+v, want hospital number RX200", found)
		}
	})
}
