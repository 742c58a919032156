package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/casetrack/casetrack/db/dbtest"
	"gorm.io/gorm"
)

// BenchmarkFeed sends ADT messages one at a time over one MLLP connection
// to a casetrack started as serve starts it, each answered before the
// next is sent, as an interface engine sends them: for every patient an
// A28 (register) then an A08 (update), each applied and kept in its own
// transaction. msgs/s is BENCHMARKS.md's figure. Beside it, commits/s is
// the most one connection can do at all on the same database at the same
// moment: a transaction that inserts one row and commits, one after the
// other. Each message needs a durable commit before its ACK, so that rate
// bounds the feed's, and moves with the machine's load.
//
//	go test -run '^$' -bench Feed -benchtime 5000x ./cmd/casetrack
func BenchmarkFeed(b *testing.B) {
	for _, dialect := range dbtest.Dialects(b) {
		s := startServer(b, dialect, "--hl7-listen", "127.0.0.1:0")
		b.Run(dialect, func(b *testing.B) { benchFeed(b, s) })
		b.Run(dialect+"-commits", func(b *testing.B) { benchCommits(b, s) })
	}
}

func benchFeed(b *testing.B, s *testServer) {
	f := dialFeed(b, s)
	f.c.SetDeadline(time.Time{})
	msgs := make([]string, b.N)
	for i := range msgs {
		hn := fmt.Sprintf("B%07d", i/2)
		pid := "PID|1||" + hn + "^^^RX1^MR~" + benchNHS(i/2) + "^^^NHS^NH||O'NEILL-SMITH^Siobhan||19311224|F"
		trigger := "A28"
		if i%2 == 1 {
			trigger, pid = "A08", pid+"|||2 Low St^^Leeds"
		}
		msgs[i] = adt(trigger, fmt.Sprintf("B%d.%d", b.N, i), pid)
	}
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		if got := f.send(msgs[i]); got[0] != fmt.Sprintf("AA B%d.%d", b.N, i) {
			b.Fatalf("message %d answered %v", i, got)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}

func benchCommits(b *testing.B, s *testServer) {
	g := s.m.DB.Gorm()
	if err := g.Exec("CREATE TABLE IF NOT EXISTS bench_commits (id INTEGER PRIMARY KEY, at TEXT NOT NULL)").Error; err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		err := s.m.DB.Gorm().Transaction(func(tx *gorm.DB) error {
			return tx.Exec("INSERT INTO bench_commits (id, at) VALUES (?, ?)", i+b.N*10, time.Now().String()).Error
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "commits/s")
}

// benchNHS is the i-th valid NHS number starting 9.
func benchNHS(i int) string {
	for n := i * 2; ; n++ {
		s := fmt.Sprintf("9%08d", n)
		sum := 0
		for k := 0; k < 9; k++ {
			sum += int(s[k]-'0') * (10 - k)
		}
		if c := (11 - sum%11) % 11; c != 10 {
			return s + fmt.Sprint(c)
		}
	}
}
