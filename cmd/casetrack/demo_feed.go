package main

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/casetrack/casetrack/tracking/hl7"
)

// demoGoLive adds what a trust sees once live: a duplicate record merged
// into its survivor, whose folders wait to be relabelled, and the PAS
// feed's messages of the morning, one refused and one rejected among them.
func (m *Main) demoGoLive(ctx context.Context, a tracking.Actor) error {
	born := tracking.DateOf(time.Date(1938, 3, 14, 0, 0, 0, 0, time.UTC))
	for _, p := range []*tracking.Patient{
		{HospitalNumber: "H900001", NHSNumber: "9990000018", FamilyName: "Evans", GivenName: "Eileen", BirthDate: &born},
		{HospitalNumber: "H900002", FamilyName: "Evans", GivenName: "Eileen", BirthDate: &born},
	} {
		if err := m.Service.CreatePatient(ctx, a, p, "LIB-B"); err != nil {
			return fmt.Errorf("demo patient %s: %w", p.HospitalNumber, err)
		}
	}
	if _, err := m.Service.AddVolume(ctx, a, "H900002", tracking.VolumeInput{}); err != nil {
		return err
	}
	if _, err := m.Service.MergePatient(ctx, a, "H900002", "H900001", tracking.MergeByPage); err != nil {
		return fmt.Errorf("demo merge: %w", err)
	}
	return m.demoFeed(ctx)
}

// demoFeedMessages are the morning's messages, segments a line each.
var demoFeedMessages = []string{
	"MSH|^~\\&|PAS|RX1|CASETRACK|RX1|{time}||ADT^A28^ADT_A05|DEMO0001|P|2.4\nEVN|A28|{time}\n" +
		"PID|1||H900010^^^RX1^MR~9990000026^^^NHS^NH||O'NEILL-SMITH^Siobhan^^^Ms^^L||19611105|F",
	"MSH|^~\\&|PAS|RX1|CASETRACK|RX1|{time}||ADT^A08^ADT_A01|DEMO0002|P|2.4\nEVN|A08|{time}\n" +
		"PID|1||H900010^^^RX1^MR~9990000026^^^NHS^NH||O'NEILL-SMITH^Siobhán^^^Ms^^L||19611105|F\nPV1|1|O|OPD-CARD",
	"MSH|^~\\&|PAS|RX1|CASETRACK|RX1|{time}||ADT^A08^ADT_A01|DEMO0003|P|2.4\nEVN|A08|{time}\n" +
		"PID|1||H900011^^^RX1^MR~9990000025^^^NHS^NH||KOWALSKI^Jan||19700101|M",
	"MSH|^~\\&|PAS|RX1|CASETRACK|RX1|{time}||ADT^A17^ADT_A17|DEMO0004|P|2.4\nEVN|A17|{time}\n" +
		"PID|1||H900010^^^RX1^MR||O'NEILL-SMITH^Siobhán",
}

// demoFeed sends the morning's messages through the feed's own handler.
func (m *Main) demoFeed(ctx context.Context) error {
	feed := &hl7.Feed{Service: m.Service}
	now := time.Now()
	for i, raw := range demoFeedMessages {
		at := now.Add(time.Duration(i-len(demoFeedMessages)) * 7 * time.Minute)
		raw = strings.ReplaceAll(raw, "{time}", at.Format("20060102150405"))
		d := &hl7.Delivery{Raw: raw, Remote: netip.MustParseAddrPort("10.20.1.5:41234"), Received: at}
		if d.Message, d.Err = hl7.Parse(raw); d.Err != nil {
			return d.Err
		}
		if err := feed.Handle(ctx, d); d.Outcome(err).Code == hl7.CodeInternal {
			return fmt.Errorf("demo feed message %d: %w", i+1, err)
		}
	}
	return nil
}
