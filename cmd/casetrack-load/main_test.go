package main

import (
	"fmt"
	"io"
	"slices"
	"testing"
	"time"
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

// The baseline and the phase take turns, each getting the whole duration,
// and each one's turns add up to one result.
func TestInterleaveTakesTurns(t *testing.T) {
	var order []string
	turn := func(name string) func(time.Duration) (result, error) {
		return func(d time.Duration) (result, error) {
			order = append(order, fmt.Sprintf("%s %s", name, d))
			return result{requests: 1, scans: 10, elapsed: d, latencies: []time.Duration{d}}, nil
		}
	}
	base, res, err := interleave(5*time.Second, turn("raw"), turn("casetrack"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"raw 2s", "casetrack 2s", "raw 2s", "casetrack 2s", "raw 1s", "casetrack 1s"}
	if !slices.Equal(order, want) {
		t.Errorf("turns %q, want %q", order, want)
	}
	for _, r := range []result{base, res} {
		if r.elapsed != 5*time.Second || r.scans != 30 || r.requests != 3 || len(r.latencies) != 3 || r.perSecond() != 6 {
			t.Errorf("merged %+v, want 30 scans over 5s", r)
		}
	}
	order = nil
	if base, res, err = interleave(3*time.Second, nil, turn("casetrack")); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(order, []string{"casetrack 3s"}) || base.scans != 0 || res.scans != 10 {
		t.Errorf("without a baseline: turns %q, base %+v, phase %+v", order, base, res)
	}
}
