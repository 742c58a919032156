package main

import (
	"io"
	"testing"
)

func TestPhasesFlag(t *testing.T) {
	for _, tc := range []struct {
		arg              string
		singles, batches bool
		bad              bool
	}{
		{"", true, true, false},
		{"-phases=single", true, false, false},
		{"-phases=batch", false, true, false},
		{"-phases=batch, single", true, true, false},
		{"-phases=batches", false, false, true},
	} {
		args := []string{"-server", "casetrack", "-db", "sqlite"}
		if tc.arg != "" {
			args = append(args, tc.arg)
		}
		c, err := parseFlags(args, io.Discard)
		if tc.bad {
			if err == nil {
				t.Errorf("%q: accepted", tc.arg)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tc.arg, err)
		}
		if c.singles != tc.singles || c.batches != tc.batches {
			t.Errorf("%q: singles %v, batches %v; want %v, %v", tc.arg, c.singles, c.batches, tc.singles, tc.batches)
		}
	}
}
