package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Targets from issue 3.
const (
	targetRatio   = 0.60
	targetP99     = 50 * time.Millisecond
	targetBatchPS = 10000
)

// result is what one timed phase did.
type result struct {
	requests  int           // requests answered 200
	scans     int           // scans (or raw ops) those requests carried
	errors    int           // requests that failed
	elapsed   time.Duration // wall time of the phase
	latencies []time.Duration
}

// perSecond is the scan (or op) rate.
func (r result) perSecond() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.scans) / r.elapsed.Seconds()
}

// quantile is the q-th latency, by the nearest-rank method.
func (r result) quantile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	l := slices.Clone(r.latencies)
	slices.Sort(l)
	i := int(q*float64(len(l))+0.5) - 1
	return l[max(0, min(i, len(l)-1))]
}

// merge adds another client's share of the same phase.
func (r *result) merge(o result) {
	r.requests += o.requests
	r.scans += o.scans
	r.errors += o.errors
	r.latencies = append(r.latencies, o.latencies...)
}

// add adds a later stretch of the same phase.
func (r *result) add(o result) {
	r.merge(o)
	r.elapsed += o.elapsed
}

// line is one phase's figures, as printed and kept for the summary.
type line struct {
	name string
	dsn  string
	res  result
}

// report prints each phase as it ends and a summary against the targets.
type report struct{ lines []line }

func (rp *report) add(w io.Writer, name, dsn string, r result) {
	rp.lines = append(rp.lines, line{name: name, dsn: dsn, res: r})
	fmt.Fprintf(w, "%-48s %9.0f /s  p50 %7s  p99 %7s  (%d requests, %d scans, %d errors, %s)\n", name,
		r.perSecond(), ms(r.quantile(0.50)), ms(r.quantile(0.99)), r.requests, r.scans, r.errors, r.elapsed.Round(time.Millisecond))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// print writes the summary: casetrack's single-scan rate against raw
// PostgreSQL on the same database, and batch rates against 10,000/s.
func (rp *report) print(w io.Writer) {
	fmt.Fprintln(w, "\nSummary")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "phase\trate\tp50\tp99\tagainst target")
	for _, l := range rp.lines {
		fmt.Fprintf(tw, "%s\t%.0f/s\t%s\t%s\t%s\n", l.name, l.res.perSecond(), ms(l.res.quantile(0.5)),
			ms(l.res.quantile(0.99)), rp.verdict(l))
	}
	tw.Flush()
}

func (rp *report) verdict(l line) string {
	switch {
	case l.res.errors > 0:
		return fmt.Sprintf("%d ERRORS", l.res.errors)
	case strings.Contains(l.name, "/scans/batch"):
		return pass(l.res.perSecond() >= targetBatchPS, fmt.Sprintf("%.0f%% of %d/s", 100*l.res.perSecond()/targetBatchPS, targetBatchPS))
	case strings.Contains(l.name, "/scans"):
		return rp.singleVerdict(l)
	}
	return "baseline"
}

func (rp *report) singleVerdict(l line) string {
	p99 := pass(l.res.quantile(0.99) < targetP99, "p99 < 50ms")
	raw, ok := rp.raw(l.dsn)
	if !ok {
		return p99
	}
	ratio := l.res.perSecond() / raw.perSecond()
	return pass(ratio >= targetRatio, fmt.Sprintf("%.0f%% of raw", 100*ratio)) + ", " + p99
}

func (rp *report) raw(dsn string) (result, bool) {
	for _, l := range rp.lines {
		if l.dsn == dsn && strings.HasPrefix(l.name, "raw ") {
			return l.res, true
		}
	}
	return result{}, false
}

func pass(ok bool, what string) string {
	if ok {
		return "ok: " + what
	}
	return "MISSED: " + what
}

// timed runs fn on n clients until d has passed and merges their results.
// Each client stops at its first request after the deadline, so the
// elapsed time covers every request counted.
func timed(n int, d time.Duration, fn func(client int, deadline time.Time) result) result {
	start := time.Now()
	deadline := start.Add(d)
	results := make(chan result, n)
	for i := range n {
		go func() { results <- fn(i, deadline) }()
	}
	var total result
	for range n {
		total.merge(<-results)
	}
	total.elapsed = time.Since(start)
	return total
}
