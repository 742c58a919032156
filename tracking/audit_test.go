package tracking

import (
	"context"
	"testing"
)

// The patient a stored answer shows is read back from the answer: the
// volume's patient, or the first choice's; none for an answer without
// one, whatever its strings hold.
func TestAnswerPatientID(t *testing.T) {
	t.Parallel()
	p := &Patient{ID: 42, HospitalNumber: "H1", FamilyName: "Smith"}
	tests := []struct {
		name string
		res  ScanResult
		want int64
	}{
		{"Volume", ScanResult{ScanID: "s", Result: ResultMoved, Volume: &Volume{Barcode: "V1", Patient: p}}, 42},
		{"Choice", ScanResult{ScanID: "s", Result: ResultAmbiguous, Choices: []*Volume{{Barcode: "V1", Patient: p}}}, 42},
		{"NoPatient", ScanResult{ScanID: "s", Result: ResultUnknown}, 0},
		{"VolumeWithoutPatient", ScanResult{ScanID: "s", Result: ResultRejected, Volume: &Volume{Barcode: "V1"}}, 0},
		{"PatientKeyInAString", ScanResult{ScanID: `"patient":{"id":7`, Result: ResultUnknown, Message: `"patient":{"id":8}`}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := answerPatientID(tt.res.AppendJSON(nil)); got != tt.want {
				t.Errorf("answerPatientID = %d, want %d", got, tt.want)
			}
		})
	}
}

// A scan id sent again gets its first answer, patient and all: whoever
// sends it is written to the access log for that patient, as the first
// sender was. A repeat that shows no patient, and a scan id twice in one
// list, write nothing more.
func TestRepeatedScanIsAudited(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	ctx := context.Background()
	kim := Actor{Name: "kim", Role: RoleClerk, Kind: ActorUser}
	first := Scan{ScanID: "s1", Barcode: f.vol.Barcode, Location: "WARD7"}
	unknown := Scan{ScanID: "s2", Barcode: "NOTHING-HERE"}
	base := len(f.m.access)
	if _, _, err := f.s.RecordScans(ctx, porter, []Scan{first, unknown, first}); err != nil {
		t.Fatal(err)
	}
	if n := len(f.m.access) - base; n != 1 {
		t.Fatalf("%d entries after the first list, want 1 (the copy of s1 adds none)", n)
	}
	recs, _, err := f.s.RecordScans(ctx, kim, []Scan{first, unknown})
	if err != nil {
		t.Fatal(err)
	}
	if !recs[0].Repeat || len(f.m.access)-base != 2 {
		t.Fatalf("repeat %v, %d entries; want a repeat and 2 entries", recs[0].Repeat, len(f.m.access)-base)
	}
	e := f.m.access[len(f.m.access)-1]
	if e.Actor != "kim" || e.ActorKind != ActorUser || e.Role != RoleClerk || e.Action != "scan_repeat" ||
		e.PatientID != f.vol.PatientID || e.Detail != "s1" {
		t.Errorf("entry for the repeat: %+v", e)
	}
}
