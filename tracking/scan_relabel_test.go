package tracking

import (
	"strings"
	"testing"
)

func TestRelabelNotice(t *testing.T) {
	merged := func() *Volume {
		return &Volume{Number: 2, Count: 3, RelabelMerge: 12, Patient: &Patient{HospitalNumber: "RX100"}}
	}
	tests := []struct {
		name   string
		result Result
		vol    *Volume
		want   string // part of the message; "" for no notice
	}{
		{"Moved", ResultMoved, merged(), "merged into RX100"},
		{"AlreadyHere", ResultAlreadyHere, merged(), "(Vol 2 of 3)"},
		{"NoOpenMerge", ResultMoved, &Volume{Number: 1, Patient: &Patient{HospitalNumber: "RX100"}}, ""},
		{"RecordedLate", ResultRecordedLate, merged(), ""},
		{"Rejected", ResultRejected, merged(), ""},
		{"NoVolume", ResultUnknown, nil, ""},
		{"NoPatientRead", ResultMoved, &Volume{Number: 1, RelabelMerge: 4}, "records were merged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := relabelNotice(tt.result, tt.vol)
			switch {
			case tt.want == "" && n != nil:
				t.Errorf("notice %+v, want none", n)
			case tt.want != "" && (n == nil || !strings.Contains(n.Message, tt.want) || n.Merge != tt.vol.RelabelMerge):
				t.Errorf("notice %+v, want merge %d and %q", n, tt.vol.RelabelMerge, tt.want)
			}
		})
	}
}

// The notice is part of the answer a scan stores, through both ways a
// record is decided.
func TestRelabelNoticeInAnswer(t *testing.T) {
	r := &ScanRecord{Result: ScanResult{Result: ResultMoved, Volume: &Volume{Number: 1, RelabelMerge: 7}}}
	r.finish()
	if r.Result.Relabel == nil || !strings.Contains(string(r.Response), `"relabel":{"merge":7,`) {
		t.Errorf("answer %s", r.Response)
	}
}
