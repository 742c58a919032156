package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestSessionLengthConfig(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		idle, max time.Duration
		err       string
	}{
		{name: "defaults", args: []string{"serve"}, idle: 30 * time.Minute, max: 12 * time.Hour},
		{name: "environment", args: []string{"serve"}, env: map[string]string{"CASETRACK_SESSION_IDLE": "10m", "CASETRACK_SESSION_MAX": "8h"},
			idle: 10 * time.Minute, max: 8 * time.Hour},
		{name: "flags win", args: []string{"serve", "--session-idle", "15m", "--session-max", "9h"},
			env: map[string]string{"CASETRACK_SESSION_IDLE": "10m"}, idle: 15 * time.Minute, max: 9 * time.Hour},
		{name: "bad environment", args: []string{"serve"}, env: map[string]string{"CASETRACK_SESSION_IDLE": "half an hour"}, err: "CASETRACK_SESSION_IDLE"},
		{name: "days", args: []string{"serve", "--session-max", "7d"}, env: map[string]string{"CASETRACK_SESSION_IDLE": "1d"},
			idle: 24 * time.Hour, max: 7 * 24 * time.Hour},
		{name: "bad flag", args: []string{"serve", "--session-max", "forever"}, err: "session-max"},
		{name: "too short", args: []string{"serve", "--session-idle", "10s"}, err: "at least 1m"},
		{name: "max under idle", args: []string{"serve", "--session-idle", "2h", "--session-max", "1h"}, err: "shorter than"},
		{name: "over a week", args: []string{"serve", "--session-max", "200h"}, err: "at most 168h"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := parseConfig(t, tt.args, tt.env, tt.err)
			if ok && (c.SessionIdle != tt.idle || c.SessionMaxAge != tt.max) {
				t.Errorf("got idle %v max %v, want %v %v", c.SessionIdle, c.SessionMaxAge, tt.idle, tt.max)
			}
		})
	}
}

// parseConfig reads args with env as the environment. With wantErr set
// it checks that parsing fails with an error mentioning it, and returns
// false; otherwise parsing must succeed.
func parseConfig(t *testing.T, args []string, env map[string]string, wantErr string) (Config, bool) {
	t.Helper()
	c, err := ParseConfig(args, func(k string) string { return env[k] }, io.Discard)
	switch {
	case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
		t.Fatalf("err = %v, want one mentioning %q", err, wantErr)
	case wantErr == "" && err != nil:
		t.Fatalf("ParseConfig: %v", err)
	}
	return c, wantErr == ""
}

func TestRequestConfig(t *testing.T) {
	tests := []struct {
		name          string
		args          []string
		env           map[string]string
		lead, horizon time.Duration
		err           string
	}{
		{name: "defaults", args: []string{"serve"}, lead: time.Hour, horizon: 48 * time.Hour},
		{name: "flags", args: []string{"serve", "--request-lead", "90m", "--wanted-horizon", "3d"}, lead: 90 * time.Minute, horizon: 72 * time.Hour},
		{name: "environment", args: []string{"serve"}, env: map[string]string{"CASETRACK_REQUEST_LEAD": "2h", "CASETRACK_WANTED_HORIZON": "1d"},
			lead: 2 * time.Hour, horizon: 24 * time.Hour},
		{name: "bad environment", args: []string{"serve"}, env: map[string]string{"CASETRACK_WANTED_HORIZON": "soon"}, err: "CASETRACK_WANTED_HORIZON"},
		{name: "horizon too short", args: []string{"serve", "--wanted-horizon", "5m"}, err: "1h to 31d"},
		{name: "lead too long", args: []string{"serve", "--request-lead", "8d"}, err: "0 to 7d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := parseConfig(t, tt.args, tt.env, tt.err)
			if ok && (c.RequestLead != tt.lead || c.WantedHorizon != tt.horizon) {
				t.Errorf("got lead %v horizon %v, want %v %v", c.RequestLead, c.WantedHorizon, tt.lead, tt.horizon)
			}
		})
	}
}

func TestHL7Config(t *testing.T) {
	tests := []struct {
		name                string
		args                []string
		env                 map[string]string
		addr, allow, author string
		err                 string
	}{
		{name: "off by default", args: []string{"serve"}, allow: "127.0.0.1"},
		{name: "flags", args: []string{"serve", "--hl7-listen", ":2575", "--hl7-allow", "10.20.0.0/16, 127.0.0.1", "--hl7-hospital-authority", "RX1"},
			addr: ":2575", allow: "10.20.0.0/16, 127.0.0.1", author: "RX1"},
		{name: "environment", args: []string{"serve"}, env: map[string]string{"CASETRACK_HL7_LISTEN": ":2576", "CASETRACK_HL7_ALLOW": "10.0.0.1"},
			addr: ":2576", allow: "10.0.0.1"},
		{name: "bad allow list", args: []string{"serve", "--hl7-allow", "10.20.0.0/99"}, err: "--hl7-allow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := parseConfig(t, tt.args, tt.env, tt.err)
			if ok && (c.HL7Addr != tt.addr || c.HL7Allow != tt.allow || c.HL7HospitalAuthority != tt.author) {
				t.Errorf("got %q %q %q", c.HL7Addr, c.HL7Allow, c.HL7HospitalAuthority)
			}
		})
	}
}
