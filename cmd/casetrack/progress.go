package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/casetrack/casetrack/tracking/csvimport"
)

// progressBar shows how an import is going on standard error: a bar
// redrawn in place on a terminal, a plain line every few seconds
// otherwise (a log file, a pipe), so neither a person watching nor a log
// fills with noise.
type progressBar struct {
	w     io.Writer
	what  string
	tty   bool
	every time.Duration
	shown time.Time
	last  csvimport.Progress
}

func newProgressBar(w io.Writer, what string) *progressBar {
	b := &progressBar{w: w, what: what, tty: isTerminal(w), every: 5 * time.Second}
	if b.tty {
		b.every = 100 * time.Millisecond
	}
	return b
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// show takes the import's progress after a batch.
func (b *progressBar) show(p csvimport.Progress) {
	b.last = p
	if time.Since(b.shown) < b.every {
		return
	}
	b.shown = time.Now()
	if b.tty {
		fmt.Fprintf(b.w, "\r%s\x1b[K", b.line(p))
		return
	}
	fmt.Fprintln(b.w, b.line(p))
}

// done ends the display with what the whole run took.
func (b *progressBar) done(err error) {
	p := b.last
	if b.tty {
		fmt.Fprint(b.w, "\r\x1b[K")
	}
	if err != nil {
		fmt.Fprintf(b.w, "%s: stopped after %d lines: %v\n", b.what, p.Lines, err)
		return
	}
	fmt.Fprintf(b.w, "%s: %d lines in %s (%s lines/s)\n", b.what, p.Lines, p.Elapsed.Round(100*time.Millisecond), thousands(rate(p)))
}

// line is one state of the display: the bar (when the file's size is
// known), the share read, the lines so far, the rate and the time left.
func (b *progressBar) line(p csvimport.Progress) string {
	s := b.what
	if p.Size > 0 {
		share := float64(p.Bytes) / float64(p.Size)
		if b.tty {
			filled := int(share * 24)
			s += " [" + strings.Repeat("#", filled) + strings.Repeat("-", 24-filled) + "]"
		}
		s += fmt.Sprintf(" %3.0f%%", 100*share)
	}
	s += fmt.Sprintf("  %s lines  %s lines/s", thousands(int64(p.Lines)), thousands(rate(p)))
	if left, ok := timeLeft(p); ok {
		s += "  ETA " + left.Round(time.Second).String()
	}
	return s
}

func rate(p csvimport.Progress) int64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return int64(float64(p.Lines) / p.Elapsed.Seconds())
}

// timeLeft estimates the rest of the run from the bytes read so far.
func timeLeft(p csvimport.Progress) (time.Duration, bool) {
	if p.Size <= 0 || p.Bytes <= 0 || p.Elapsed <= 0 {
		return 0, false
	}
	return time.Duration(float64(p.Elapsed) * float64(p.Size-p.Bytes) / float64(p.Bytes)), true
}

// thousands writes n with commas between groups of three digits.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
