package csvimport

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// Importer writes the rows of a file, a batch at a time in file order:
// tracking.Import is one.
type Importer interface {
	Locations(ctx context.Context, rows []LocationRow) (tracking.ImportCounts, error)
	Patients(ctx context.Context, rows []PatientRow) (tracking.ImportCounts, error)
	Volumes(ctx context.Context, rows []VolumeRow) (tracking.ImportCounts, error)
}

// Progress is how far an import has got, for a progress bar: the bytes of
// the file read (of Size, 0 when unknown) and the lines taken.
type Progress struct {
	Bytes, Size int64
	Lines       int
	Elapsed     time.Duration
}

// BatchSize is how many lines go to the Importer at a time: enough that
// a transaction's cost is shared by many rows, few enough that a batch
// takes a moment.
const BatchSize = 5000

// Import reads a file of the kind and has im write it, a batch at a time,
// while the next batches are read; progress (if not nil) hears after each
// batch. Locations are written in file order, a batch at a time, so that
// a parent is in place before its children; patients and volumes, whose
// lines name distinct records, two batches at a time, so that one batch is
// decided while another is written. The report counts every line: each
// one written, unchanged or refused. A file that cannot be an import at
// all is a report of its one error; the error returned is a failure to
// read the file or to write.
func Import(ctx context.Context, im Importer, k Kind, r io.Reader, o Options, progress func(Progress)) (Report, error) {
	switch k {
	case Locations:
		rd, err := NewLocationReader(r, o)
		return run(ctx, rd, err, im.Locations, 1, progress)
	case Patients:
		rd, err := NewPatientReader(r, o)
		return run(ctx, rd, err, im.Patients, writers, progress)
	case Volumes:
		rd, err := NewVolumeReader(r, o)
		return run(ctx, rd, err, im.Volumes, writers, progress)
	}
	_, err := ParseKind(string(k))
	return Report{}, err
}

// writers is how many batches of patients or volumes are written at once.
const writers = 2

// run reads batches in one goroutine and writes them in n others, the
// batches taking turns, so the file is read while the database writes.
func run[T any](ctx context.Context, rd *Reader[T], err error, write func(context.Context, []T) (tracking.ImportCounts, error),
	n int, progress func(Progress)) (Report, error) {
	var whole *LineError
	if errors.As(err, &whole) {
		return Report{Errors: []LineError{*whole}}, nil
	}
	if err != nil {
		return Report{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	full, empty := make(chan *Batch[T]), make(chan *Batch[T], n+1)
	for range n + 1 {
		empty <- new(Batch[T])
	}
	go readBatches(rd, full, empty, ctx.Done())
	t := &tally{rd: rd, size: rd.size, start: time.Now(), progress: progress, cancel: cancel}
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for b := range full {
				c, err := write(ctx, b.Rows)
				t.add(b, c, err)
				empty <- b
			}
		})
	}
	wg.Wait()
	if t.err != nil {
		return t.rep, t.err
	}
	return t.rep, rd.Err()
}

// tally gathers what the writers did.
type tally struct {
	mu       sync.Mutex
	rep      Report
	err      error
	lines    int
	rd       interface{ BytesRead() int64 }
	size     int64
	start    time.Time
	progress func(Progress)
	cancel   func()
}

// add counts one written batch; the first failure stops the import.
func (t *tally) add(b batchLines, c tracking.ImportCounts, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		if t.err == nil {
			t.err = err
			t.cancel()
		}
		return
	}
	t.rep.AddErrors(b.lineErrors()...)
	t.rep.add(c)
	t.lines += b.lines()
	if t.progress != nil {
		t.progress(Progress{Bytes: t.rd.BytesRead(), Size: t.size, Lines: t.lines, Elapsed: time.Since(t.start)})
	}
}

// batchLines is what the tally needs of a batch of any kind.
type batchLines interface {
	lineErrors() []LineError
	lines() int
}

func (b *Batch[T]) lineErrors() []LineError { return b.Errors }
func (b *Batch[T]) lines() int              { return len(b.Rows) + len(b.Errors) }

// readBatches fills the empty batches in turn and hands them on, until the
// file ends or done is closed.
func readBatches[T any](rd *Reader[T], full chan<- *Batch[T], empty <-chan *Batch[T], done <-chan struct{}) {
	defer close(full)
	for {
		var b *Batch[T]
		select {
		case b = <-empty:
		case <-done:
			return
		}
		if !rd.Next(b, BatchSize) {
			return
		}
		select {
		case full <- b:
		case <-done:
			return
		}
	}
}

// add counts what a batch's write did.
func (r *Report) add(c tracking.ImportCounts) {
	r.Accepted += c.Accepted
	r.Updated += c.Updated
	r.Unchanged += c.Unchanged
	r.AddErrors(c.Errors...)
}

// Summary is what the report says of a whole run, for the access log.
func (r *Report) Summary(k Kind) tracking.ImportSummary {
	return tracking.ImportSummary{Kind: string(k), Accepted: r.Accepted, Updated: r.Updated, Unchanged: r.Unchanged, Refused: r.Refused()}
}
