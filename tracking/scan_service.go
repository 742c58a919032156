package tracking

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
)

// Limits on what a device may send with a scan.
const (
	maxScanIDLen  = 100
	maxDeviceLen  = 64
	maxBarcodeLen = 512
)

// RecordScan takes one scan through the ingestion path every channel
// shares. The answer is given only after the scan is committed.
func (s *Service) RecordScan(ctx context.Context, a Actor, sc Scan) (*ScanRecord, error) {
	recs, errs, err := s.RecordScans(ctx, a, []Scan{sc})
	if err != nil {
		return nil, err
	}
	if errs[0] != nil {
		return nil, errs[0]
	}
	return recs[0], nil
}

// RecordScans takes scans in list order, as a handheld would have sent them
// one by one: a location barcode sets its device's context for the scans
// after it. Each scan stands alone: errs[i] is set for a scan that could not
// be taken and the others go on. err is set only when the store failed, and
// then no record without a Response may be taken as acknowledged.
func (s *Service) RecordScans(ctx context.Context, a Actor, scans []Scan) (recs []*ScanRecord, errs []error, err error) {
	received := TimestampOf(s.now())
	recs = make([]*ScanRecord, len(scans))
	errs = make([]error, len(scans))
	for i := range scans {
		scans[i] = s.withDefaults(scans[i], a, received)
		recs[i] = &ScanRecord{Scan: scans[i], Raw: scans[i].Barcode, ReceivedAt: received}
	}
	b := &batchRun{s: s, lk: newScanLookups(s.Store), first: make(map[string]*ScanRecord, len(recs))}
	if err := b.run(ctx, recs); err != nil {
		return nil, nil, err
	}
	for _, c := range b.copies {
		c.Response, c.Repeat = b.first[c.Scan.ScanID].Response, true
	}
	for i, rec := range recs {
		errs[i] = storedError(rec.Response)
	}
	return recs, errs, nil
}

// batchRun is one RecordScans call on its way through resolving and
// storing.
type batchRun struct {
	s  *Service
	lk *scanLookups
	// first is each scan id's first record in the list; copies are the
	// later records with the same id, which take the first one's answer.
	first  map[string]*ScanRecord
	copies []*ScanRecord
}

func (b *batchRun) run(ctx context.Context, recs []*ScanRecord) error {
	if len(recs) <= 1 {
		// A single scan needs no look-up of repeats: the store's claim
		// on its scan id catches a repeat anyway.
		return b.store(ctx, recs)
	}
	// A batch is resolved and stored a stage at a time if the store
	// wants it so: while the store writes one stage, the next one's
	// volumes are read and its scans resolved, so the first write does
	// not wait for every read.
	stage := b.s.Store.ScanStage()
	if stage <= 0 {
		stage = len(recs)
	}
	stages := slices.Collect(slices.Chunk(recs, stage))
	// It looks all its repeats up first so they cannot change the device
	// context the scans after them are resolved in. That and the first
	// stage's volumes are independent reads, so they run side by side.
	var repeatsErr, volumesErr error
	var wg sync.WaitGroup
	wg.Go(func() { repeatsErr = b.s.markRepeats(ctx, recs) })
	wg.Go(func() { volumesErr = b.lk.prefetchVolumes(ctx, b.s.Parse, stages[0]) })
	wg.Wait()
	if err := errors.Join(repeatsErr, volumesErr); err != nil {
		return err
	}
	if len(stages) == 1 {
		return b.store(ctx, recs)
	}
	w := startStageWriter(ctx, b.s.Store)
	for i, stage := range stages {
		if i > 0 {
			if err := b.lk.prefetchVolumes(ctx, b.s.Parse, stage); err != nil {
				return w.stop(err)
			}
		}
		todo, err := b.resolve(ctx, stage)
		if err != nil {
			return w.stop(err)
		}
		if !w.add(todo) {
			break
		}
	}
	return w.finish()
}

// store resolves recs and stores them in one go.
func (b *batchRun) store(ctx context.Context, recs []*ScanRecord) error {
	todo, err := b.resolve(ctx, recs)
	if err != nil {
		return err
	}
	return b.s.Store.RecordScans(ctx, todo)
}

// resolve works out each new record of recs in order and returns the ones
// to store. A scan that cannot be taken is kept with its error as its
// answer; only a failure to read (EINTERNAL) stops it.
func (b *batchRun) resolve(ctx context.Context, recs []*ScanRecord) ([]*ScanRecord, error) {
	todo := make([]*ScanRecord, 0, len(recs))
	for _, rec := range recs {
		if rec.Repeat {
			continue
		}
		if b.first[rec.Scan.ScanID] != nil {
			// A scan id sent twice in one list is one scan: the copy gets
			// the first one's answer, and is not resolved again, which
			// could change the device's context meanwhile.
			b.copies = append(b.copies, rec)
			continue
		}
		b.first[rec.Scan.ScanID] = rec
		if rec.Scan.Invalid != nil {
			failScan(rec, rec.Scan.Invalid)
			todo = append(todo, rec)
			continue
		}
		if err := b.s.resolve(ctx, rec, b.lk); err != nil {
			if ErrorCode(err) == EINTERNAL {
				return nil, err
			}
			failScan(rec, err)
		}
		todo = append(todo, rec)
	}
	return todo, nil
}

// stageWriter stores a batch's stages one after another on a goroutine of
// its own, in the order they are added.
type stageWriter struct {
	stages chan []*ScanRecord
	failed chan struct{} // closed when a stage could not be stored
	done   chan struct{} // closed when the goroutine has ended
	err    error         // read only after done
}

func startStageWriter(ctx context.Context, store Store) *stageWriter {
	w := &stageWriter{stages: make(chan []*ScanRecord, 1), failed: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for todo := range w.stages {
			if w.err != nil {
				continue
			}
			if w.err = store.RecordScans(ctx, todo); w.err != nil {
				close(w.failed)
			}
		}
	}()
	return w
}

// add queues a stage to store, and reports false once an earlier stage
// has failed: nothing after it may be stored, or the list's order would
// be broken.
func (w *stageWriter) add(todo []*ScanRecord) bool {
	select {
	case <-w.failed:
		return false
	case w.stages <- todo:
		return true
	}
}

// stop is finish after a failure to prepare the next stage: it returns the
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

// failScan turns a scan that cannot be taken into a kept record whose
// answer is the error: a porter's scan is on record even when it was
// refused, and sending it again gets the same refusal.
func failScan(rec *ScanRecord, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = Errorf(EINTERNAL, "Internal error.")
	}
	rec.Volume, rec.Target, rec.Context = nil, nil, nil
	rec.Result = ScanResult{ScanID: rec.Scan.ScanID, Result: ResultError, ScannedAt: rec.Scan.ScannedAt,
		ReceivedAt: rec.ReceivedAt, Message: e.Message, Error: &ScanError{Code: e.Code, Message: e.Message, Field: e.Field}}
}

// storedError gives back the error a stored answer holds, if any.
func storedError(resp []byte) error {
	if !bytes.Contains(resp, []byte(`"result":"error"`)) {
		return nil
	}
	var r ScanResult
	if err := json.Unmarshal(resp, &r); err != nil || r.Error == nil {
		return nil
	}
	return &Error{Code: r.Error.Code, Message: r.Error.Message, Field: r.Error.Field}
}

// withDefaults fills what a device may leave out and distrusts a device
// clock that runs ahead of ours.
func (s *Service) withDefaults(sc Scan, a Actor, received Timestamp) Scan {
	if sc.ScanID == "" {
		sc.ScanID = newScanID()
	}
	if sc.Channel == "" {
		sc.Channel = ChannelAPI
	}
	sc.By, sc.Role = a.Name, a.Role
	if sc.ScannedAt.IsZero() {
		sc.ScannedAt = received
	}
	return sc
}

// markRepeats gives every already-stored scan id its first answer.
func (s *Service) markRepeats(ctx context.Context, recs []*ScanRecord) error {
	ids := make([]string, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, r.Scan.ScanID)
	}
	seen, err := s.Store.FindScanResponses(ctx, ids)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if resp, ok := seen[r.Scan.ScanID]; ok {
			r.Response, r.Repeat = resp, true
		}
	}
	return nil
}

// scanLookups caches, for one request, what resolving its scans reads:
// where each device is booking to (the database holds the truth; this only
// saves re-reading it) and, for a batch, every volume its barcodes name,
// read a stage at a time before the stage is resolved.
type scanLookups struct {
	store   Store
	devices map[string]*Location
	// volumes, when not nil, holds every volume the codes of the stages
	// read so far can name, by barcode (upper case) and by legacy barcode
	// (as stored).
	volumes map[string]*Volume
}

func newScanLookups(store Store) *scanLookups {
	return &scanLookups{store: store, devices: map[string]*Location{}}
}

// prefetchVolumes reads at once the volumes the codes of recs may name.
func (lk *scanLookups) prefetchVolumes(ctx context.Context, parse CodeParser, recs []*ScanRecord) error {
	var values []string
	for _, r := range recs {
		if c, err := parse(r.Scan.Barcode); err == nil && (c.Kind == CodeVolume || c.Kind == CodeOther) {
			values = append(values, c.Value)
		}
	}
	vols, err := lk.store.FindVolumesByBarcodes(ctx, values)
	if err != nil {
		return err
	}
	if lk.volumes == nil {
		lk.volumes = make(map[string]*Volume, 2*len(vols))
	}
	for _, v := range vols {
		lk.volumes[v.Barcode] = v
		if v.LegacyCode != "" {
			lk.volumes[v.LegacyCode] = v
		}
	}
	return nil
}

func (lk *scanLookups) volume(ctx context.Context, value string) (*Volume, error) {
	if lk.volumes == nil {
		return lk.store.FindVolumeByBarcode(ctx, value)
	}
	if v := lk.volumes[value]; v != nil {
		return v, nil
	}
	if v := lk.volumes[strings.ToUpper(value)]; v != nil && v.Barcode == strings.ToUpper(value) {
		return v, nil
	}
	return nil, Errorf(ENOTFOUND, "No volume has the barcode %q.", value)
}

func (lk *scanLookups) device(ctx context.Context, device string) (*Location, error) {
	if l, ok := lk.devices[device]; ok {
		return l, nil
	}
	dc, err := lk.store.FindDeviceContext(ctx, device)
	if ErrorCode(err) == ENOTFOUND {
		lk.devices[device] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	lk.devices[device] = dc.Location
	return dc.Location, nil
}

func (lk *scanLookups) setDevice(device string, l *Location) { lk.devices[device] = l }
