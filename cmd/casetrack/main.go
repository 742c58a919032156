// Command casetrack runs the casenote tracking service and its admin
// commands. main only wires signals and the exit code; Main does the work,
// so end-to-end tests can drive exactly what production runs.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// tuneGC lets the heap grow to three times its live size between
// collections (Go's default is twice) unless GOGC says otherwise. The live
// heap is small (tens of MB even mid-batch) and the garbage a batch of
// scans leaves is large and short-lived, so collecting less often bought
// a tenth of a batch's time for a few MB.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
}

func main() {
	tuneGC()
	m := NewMain()
	if err := m.ParseFlags(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "casetrack:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := m.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "casetrack:", err)
		m.Close()
		os.Exit(1)
	}
	if m.Serving() {
		<-ctx.Done()
		stop()
		m.Logger.Info("shutting down")
	}
	if err := m.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "casetrack:", err)
		os.Exit(1)
	}
}
