package hl7

import (
	"context"
	"log/slog"
	"net"
	"testing"
)

// The feed must keep up with 500 ADT messages a second end to end; these
// measure this package's share of that. Figures go in BENCHMARKS.md.

func reportRate(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

func BenchmarkParse(b *testing.B) {
	raw := readMessage(b, "adt_a01_v24.hl7")
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(raw); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b)
}

func BenchmarkParseDecodeACK(b *testing.B) {
	raw := readMessage(b, "adt_a01_v24.hl7")
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := Parse(raw)
		if err != nil {
			b.Fatal(err)
		}
		_, err = Decoder{}.Decode(m)
		if ack := ACK(m, OutcomeOf(err), ackTime); len(ack) == 0 || err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b)
}

// BenchmarkServer sends ADT A01s over one loopback MLLP connection, each
// waiting for its ACK as an interface engine does, to a handler that
// decodes them and stores nothing.
func BenchmarkServer(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	s := &Server{Logger: slog.New(slog.DiscardHandler), Handler: HandlerFunc(func(_ context.Context, d *Delivery) error {
		if d.Message == nil {
			return d.Err
		}
		_, err := Decoder{}.Decode(d.Message)
		return err
	})}
	go s.Serve(ln)
	defer s.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	msg, r := []byte(readMessage(b, "adt_a01_v24.hl7")), NewReader(c, 0)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteMessage(c, msg); err != nil {
			b.Fatal(err)
		}
		if _, err := r.ReadMessage(); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b)
}
