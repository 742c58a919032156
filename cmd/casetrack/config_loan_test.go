package main

import (
	"testing"
	"time"
)

func TestLoanConfig(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		loans    string
		transit  time.Duration
		escalate time.Duration
		err      string
	}{
		{name: "defaults", args: []string{"serve"}, loans: "ward=7d,clinic=2d,department=3d,office=14d",
			transit: 4 * time.Hour, escalate: 7 * 24 * time.Hour},
		{name: "flags", args: []string{"serve", "--loan", "ward=10d,office=none", "--transit-limit", "90m", "--missing-escalate", "5d"},
			loans: "ward=10d,clinic=2d,department=3d", transit: 90 * time.Minute, escalate: 5 * 24 * time.Hour},
		{name: "environment", args: []string{"serve"}, env: map[string]string{"CASETRACK_LOAN": "clinic=1d", "CASETRACK_TRANSIT_LIMIT": "2h"},
			loans: "ward=7d,clinic=1d,department=3d,office=14d", transit: 2 * time.Hour, escalate: 7 * 24 * time.Hour},
		{name: "unknown kind", args: []string{"serve", "--loan", "cupboard=1d"}, err: "--loan"},
		{name: "transit in loan", args: []string{"serve", "--loan", "transit=1h"}, err: "transit-limit"},
		{name: "transit in seconds", args: []string{"serve", "--transit-limit", "30s"}, loans: "ward=7d,clinic=2d,department=3d,office=14d",
			transit: 30 * time.Second, escalate: 7 * 24 * time.Hour},
		{name: "no transit limit", args: []string{"serve", "--transit-limit", "0s"}, err: "--transit-limit"},
		{name: "bad environment", args: []string{"serve"}, env: map[string]string{"CASETRACK_TRANSIT_LIMIT": "soon"}, err: "CASETRACK_TRANSIT_LIMIT"},
		{name: "no escalation", args: []string{"serve", "--missing-escalate", "-1h"}, err: "--missing-escalate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := parseConfig(t, tt.args, tt.env, tt.err)
			if ok && (c.Loans.String() != tt.loans || c.Loans.TransitLimit != tt.transit || c.MissingEscalation != tt.escalate) {
				t.Errorf("got %s, transit %v, escalate %v", c.Loans, c.Loans.TransitLimit, c.MissingEscalation)
			}
		})
	}
}
