package hl7_test

import (
	"context"
	"fmt"
	"log"
	"net"
	"time"

	"github.com/casetrack/casetrack/tracking/hl7"
)

// The shape of a feed handler: decode, then one call per kind of event.
// The real one calls tracking.Service and stores the message, its outcome
// and d.ACK(err) in the same transaction.
func Example() {
	dec := hl7.Decoder{HospitalAuthority: "RX1", Location: time.UTC}
	handler := hl7.HandlerFunc(func(ctx context.Context, d *hl7.Delivery) error {
		if d.Message == nil {
			return d.Err
		}
		ev, err := dec.Decode(d.Message)
		if err != nil {
			return err
		}
		switch e := ev.(type) {
		case hl7.Patient:
			fmt.Println("create or update", e.HospitalNumber)
		case hl7.Merge:
			fmt.Println("merge", e.DuplicateHospitalNumber, "into", e.Survivor.HospitalNumber)
		case hl7.Appointment:
			fmt.Println("appointment", e.ID, "at", e.Clinic, e.Start.Format(time.RFC3339), "cancelled:", e.Cancelled)
		}
		return nil
	})
	allow, err := hl7.ParseAllow(hl7.DefaultAllow)
	if err != nil {
		log.Fatal(err)
	}
	srv := &hl7.Server{Handler: handler, Allow: allow}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	msg := "MSH|^~\\&|PAS|RX1|CASETRACK|RX1|20261203120000||SIU^S12|M1|P|2.5\r" +
		"SCH|APT1||||||||||^^^20261215093000\r" +
		"PID|1||RX1234^^^RX1^MR~9434765919^^^NHS^NH||O'NEILL^Siobhan\r" +
		"AIL|1||CARD1\r"
	if err := hl7.WriteMessage(c, []byte(msg)); err != nil {
		log.Fatal(err)
	}
	ack, err := hl7.NewReader(c, 0).ReadMessage()
	if err != nil {
		log.Fatal(err)
	}
	m, err := hl7.Parse(string(ack))
	if err != nil {
		log.Fatal(err)
	}
	msa, _ := m.Segment("MSA")
	fmt.Println(msa.Field(1).Text(), msa.Field(2).Text())
	// Output:
	// appointment APT1 at CARD1 2026-12-15T09:30:00Z cancelled: false
	// AA M1
}
