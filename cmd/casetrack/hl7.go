package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"

	"github.com/casetrack/casetrack/tracking/hl7"
)

// addHL7Flags adds the PAS feed's settings.
func addHL7Flags(fs *flag.FlagSet, c *Config, env func(string, string) string) {
	fs.StringVar(&c.HL7Addr, "hl7-listen", env("HL7_LISTEN", ""), "address for the PAS feed, HL7 v2 over MLLP (off when empty)")
	fs.StringVar(&c.HL7Allow, "hl7-allow", env("HL7_ALLOW", hl7.DefaultAllow), "comma-separated addresses or CIDRs allowed to send HL7")
	fs.StringVar(&c.HL7HospitalAuthority, "hl7-hospital-authority", env("HL7_HOSPITAL_AUTHORITY", ""),
		"assigning authority (PID-3 CX-4) of the hospital number; default: the first identifier that is not the NHS number")
}

// checkHL7 refuses an allow list that is not one.
func checkHL7(c Config) error {
	if _, err := hl7.ParseAllow(c.HL7Allow); err != nil {
		return fmt.Errorf("--hl7-allow: %w", err)
	}
	return nil
}

// startHL7 starts the PAS feed when it is configured.
func (m *Main) startHL7(ctx context.Context) error {
	if m.Config.HL7Addr == "" {
		return nil
	}
	allow, err := hl7.ParseAllow(m.Config.HL7Allow)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", m.Config.HL7Addr)
	if err != nil {
		return fmt.Errorf("hl7 listener on %s: %w", m.Config.HL7Addr, err)
	}
	feed := &hl7.Feed{Service: m.Service, Decoder: hl7.Decoder{HospitalAuthority: m.Config.HL7HospitalAuthority}}
	srv := &hl7.Server{Handler: feed, Allow: allow, Logger: m.Logger}
	m.hl7, m.hl7Addr = srv, ln.Addr().String()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, hl7.ErrServerClosed) {
			m.Logger.Error("hl7 listener stopped", "err", err)
		}
	}()
	m.Logger.Info("hl7 feed listening", "addr", m.hl7Addr)
	return nil
}

// HL7Addr is the address the PAS feed listens on, "" when it is off.
func (m *Main) HL7Addr() string { return m.hl7Addr }
