package db

import (
	"context"

	"github.com/casetrack/casetrack/tracking"
)

// recordStaged writes a batch on SQLite a chunk at a time, each chunk a
// stage: a goroutine of its own writes one stage through SQLite's one
// writer connection while the next is resolved here (its volumes read on
// the readers' connections), so the first write does not wait for every
// read. A stage that could not be stored stops the rest: nothing after it
// may be stored, or the list's order would be broken.
func (db *DB) recordStaged(ctx context.Context, src tracking.ScanSource) error {
	w := startStageWriter(ctx, db)
	for done := 0; done < src.Len(); done += scanChunk {
		recs, err := src.Next(ctx, scanChunk)
		if err != nil {
			return w.stop(err)
		}
		if !w.add(recs) {
			break
		}
	}
	return w.finish()
}

// stageWriter stores a batch's stages one after another on a goroutine of
// its own, in the order they are added.
type stageWriter struct {
	stages chan []*tracking.ScanRecord
	failed chan struct{} // closed when a stage could not be stored
	done   chan struct{} // closed when the goroutine has ended
	err    error         // read only after done
}

func startStageWriter(ctx context.Context, db *DB) *stageWriter {
	w := &stageWriter{stages: make(chan []*tracking.ScanRecord, 1), failed: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for recs := range w.stages {
			if w.err != nil {
				continue
			}
			if w.err = db.recordChunks(ctx, recs); w.err != nil {
				close(w.failed)
			}
		}
	}()
	return w
}

// add queues a stage to store, and reports false once an earlier stage
// has failed.
func (w *stageWriter) add(recs []*tracking.ScanRecord) bool {
	select {
	case <-w.failed:
		return false
	case w.stages <- recs:
		return true
	}
}

// stop is finish after a failure to resolve the next stage: it returns the
// store's own failure if there was one, else err.
func (w *stageWriter) stop(err error) error {
	if werr := w.finish(); werr != nil {
		return werr
	}
	return err
}

// finish waits for every queued stage to be stored and returns the
// failure, if any.
func (w *stageWriter) finish() error {
	close(w.stages)
	<-w.done
	return w.err
}
