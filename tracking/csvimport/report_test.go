package csvimport

import (
	"encoding/json"
	"testing"
)

func TestReportJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    Report
		want string
	}{
		{"OKNoErrors", Report{Accepted: 3, Updated: 2, Unchanged: 1},
			`{"accepted":3,"updated":2,"unchanged":1,"errors":[]}`},
		{"OKErrorsInLineOrder", Report{Accepted: 1, Errors: []LineError{{Line: 9, Field: "status", Message: "b"}, {Line: 4, Field: "", Message: "a"}}},
			`{"accepted":1,"updated":0,"unchanged":0,"errors":[{"line":4,"field":"","message":"a"},{"line":9,"field":"status","message":"b"}]}`},
		{"OKNotListed", Report{Errors: []LineError{{Line: 2, Field: "code", Message: "c"}}, ErrorsNotListed: 5},
			`{"accepted":0,"updated":0,"unchanged":0,"errors":[{"line":2,"field":"code","message":"c"}],"errors_not_listed":5}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := json.Marshal(tc.r)
			if err != nil || string(got) != tc.want {
				t.Errorf("got %s, %v; want %s", got, err, tc.want)
			}
			if got, _ := json.Marshal(&tc.r); string(got) != tc.want {
				t.Errorf("through a pointer: got %s", got)
			}
		})
	}
}

func TestReportListsAtMostMaxErrors(t *testing.T) {
	t.Parallel()
	var r Report
	r.AddErrors(make([]LineError, MaxReportErrors-1)...)
	r.AddErrors(LineError{Line: 7}, LineError{Line: 8}, LineError{Line: 9})
	r.AddErrors(LineError{Line: 10})
	if len(r.Errors) != MaxReportErrors || r.Errors[MaxReportErrors-1].Line != 7 || r.ErrorsNotListed != 3 || r.Refused() != MaxReportErrors+3 {
		t.Errorf("listed %d (last line %d), not listed %d, refused %d", len(r.Errors), r.Errors[len(r.Errors)-1].Line, r.ErrorsNotListed, r.Refused())
	}
}

func TestLineErrorText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		e    LineError
		want string
	}{
		{LineError{Line: 3, Field: "nhs_number", Message: "Bad."}, "line 3, nhs_number: Bad."},
		{LineError{Line: 4, Field: "", Message: "Bad."}, "line 4: Bad."},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

func TestParseKind(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Kind{"patients": Patients, " Volumes ": Volumes, "LOCATIONS": Locations, "patient": "", "": ""} {
		got, err := ParseKind(in)
		if got != want || (err != nil) != (want == "") {
			t.Errorf("ParseKind(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
