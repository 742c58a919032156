package db

import (
	"context"
	"sync"

	"github.com/casetrack/casetrack/tracking"
)

// recordOverlapped writes a batch's chunks on PostgreSQL two at a time, each
// in its own transaction on its own connection: while one chunk's writes
// run in the database, the next is locked, decided and encoded here. A
// single device's batch otherwise leaves both sides idle in turn.
//
// The order the list gives is kept where it matters. A chunk takes its row
// locks only once the chunk ahead holds its own, so a volume both scan
// waits, at its lock, for the earlier chunk to commit, and is decided from
// the state that chunk left: exactly as if the chunks ran one after the
// other. overlappable admits only batches whose chunks set no device's
// context more than once, the one write that locks on volumes do not
// order (a source never gives a scan id twice).
func (db *DB) recordOverlapped(ctx context.Context, chunks [][]*tracking.ScanRecord) error {
	const inFlight = 2
	errs := make([]error, len(chunks))
	slots := make(chan struct{}, inFlight)
	var wg sync.WaitGroup
	var ahead <-chan struct{}
	for i, chunk := range chunks {
		slots <- struct{}{}
		held := make(chan struct{})
		var once sync.Once
		locked := func() { once.Do(func() { close(held) }) }
		wg.Add(1)
		go func(after <-chan struct{}) {
			defer wg.Done()
			defer func() { <-slots }()
			errs[i] = db.recordChunkAfter(ctx, chunk, after, locked)
		}(ahead)
		ahead = held
	}
	wg.Wait()
	var first error
	for i, err := range errs {
		if err != nil {
			forget(chunks[i])
			if first == nil {
				first = translate(err, "scan")
			}
		}
	}
	return first
}

// overlappable reports whether a batch's chunks may be written overlapped:
// there are several, and no device has its context set by two of them.
func overlappable(chunks [][]*tracking.ScanRecord) bool {
	if len(chunks) < 2 {
		return false
	}
	deviceChunk := map[string]int{}
	for i, chunk := range chunks {
		for _, r := range chunk {
			if r.Effects.Context == nil {
				continue
			}
			if c, ok := deviceChunk[r.Scan.Device]; ok && c != i {
				return false
			}
			deviceChunk[r.Scan.Device] = i
		}
	}
	return true
}
