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
	b := &scanBatch{s: s, recs: recs, lk: newScanLookups(s.Store), ids: newScanIDs(len(recs))}
	if err := s.Store.RecordScans(ctx, b); err != nil {
		return nil, nil, err
	}
	b.ids.answerCopies()
	for i, rec := range recs {
		errs[i] = storedError(rec.Response)
	}
	return recs, errs, nil
}

// scanBatch is one RecordScans call as the store takes it: a ScanSource
// that resolves the list a stage at a time, as the store asks.
type scanBatch struct {
	s    *Service
	recs []*ScanRecord
	next int // the first record not handed to the store yet
	lk   *scanLookups
	ids  scanIDs
}

// Len is how many scans the list holds.
func (b *scanBatch) Len() int { return len(b.recs) }

// Next resolves the next n scans and returns those the store must write.
func (b *scanBatch) Next(ctx context.Context, n int) ([]*ScanRecord, error) {
	stage := b.recs[b.next:min(b.next+max(n, 1), len(b.recs))]
	// A single scan needs no look-ups ahead: the store's claim on its
	// scan id catches a repeat anyway.
	if len(b.recs) > 1 {
		if err := b.prefetch(ctx, stage); err != nil {
			return nil, err
		}
	}
	b.next += len(stage)
	return b.resolve(ctx, stage)
}

// prefetch reads at once every volume the stage's barcodes may name. The
// first time, it also looks up every repeat in the list, so that a repeat
// cannot change the device context the scans after it are resolved in;
// those two reads are independent, so they run side by side.
func (b *scanBatch) prefetch(ctx context.Context, stage []*ScanRecord) error {
	if b.next > 0 {
		return b.lk.prefetchVolumes(ctx, b.s.Parse, stage)
	}
	var repeatsErr, volumesErr error
	var wg sync.WaitGroup
	wg.Go(func() { repeatsErr = b.s.markRepeats(ctx, b.recs) })
	wg.Go(func() { volumesErr = b.lk.prefetchVolumes(ctx, b.s.Parse, stage) })
	wg.Wait()
	return errors.Join(repeatsErr, volumesErr)
}

// resolve works out each new record of recs in order and returns the ones
// to store. A scan that cannot be taken is kept with its error as its
// answer; only a failure to read (EINTERNAL) stops it.
func (b *scanBatch) resolve(ctx context.Context, recs []*ScanRecord) ([]*ScanRecord, error) {
	todo := make([]*ScanRecord, 0, len(recs))
	for _, rec := range recs {
		if rec.Repeat || !b.ids.claim(rec) {
			continue
		}
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

// scanIDs tells a list's scans apart by scan id: a scan id sent twice in
// one list is one scan. The copy takes the first one's answer and is
// neither resolved nor stored again (resolving it could see its device's
// context changed meanwhile).
type scanIDs struct {
	first  map[string]*ScanRecord
	copies []*ScanRecord
}

func newScanIDs(n int) scanIDs { return scanIDs{first: make(map[string]*ScanRecord, n)} }

// claim reports whether rec is the first record of its scan id; a later
// one is kept as a copy.
func (ids *scanIDs) claim(rec *ScanRecord) bool {
	if ids.first[rec.Scan.ScanID] != nil {
		ids.copies = append(ids.copies, rec)
		return false
	}
	ids.first[rec.Scan.ScanID] = rec
	return true
}

// answerCopies gives every copy its first record's answer.
func (ids *scanIDs) answerCopies() {
	for _, c := range ids.copies {
		c.Response, c.Repeat = ids.first[c.Scan.ScanID].Response, true
	}
}

// failScan turns a scan that cannot be taken into a kept record whose
// answer is the error: a porter's scan is on record even when it was
// refused, and sending it again gets the same refusal.
func failScan(rec *ScanRecord, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = Errorf(EINTERNAL, "Internal error.")
	}
	rec.Volume, rec.Target, rec.Effects = nil, nil, Effects{}
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

// Review lists are bounded: a list is for reading, not for export.
const (
	defaultScanLimit = 100
	maxScanLimit     = 1000
)

// FindScans lists stored scans, newest first, filtered by result and
// device: 100 unless the filter asks for up to 1,000.
func (s *Service) FindScans(ctx context.Context, f ScanFilter) ([]*StoredScan, error) {
	f.Limit = scanLimit(f.Limit)
	return s.Store.FindScans(ctx, f)
}

func scanLimit(n int) int {
	if n <= 0 || n > maxScanLimit {
		return defaultScanLimit
	}
	return n
}

// ReviewScans lists the scans kept for review (see ReviewResults), newest
// first: those of one result, or of them all when result is "", from the
// device if one is named, at most limit. Each result is asked for apart,
// so the store reads each from its own index.
func (s *Service) ReviewScans(ctx context.Context, result Result, device string, limit int) ([]*StoredScan, error) {
	if result != "" && !result.Reviewed() {
		return nil, FieldError("result", "Scans answered %q are not kept for review.", result)
	}
	limit = scanLimit(limit)
	var all []*StoredScan
	for _, r := range ReviewResults {
		if result != "" && r != result {
			continue
		}
		scans, err := s.FindScans(ctx, ScanFilter{Result: r, Device: device, Limit: limit})
		if err != nil {
			return nil, err
		}
		all = append(all, scans...)
	}
	slices.SortStableFunc(all, func(a, b *StoredScan) int { return b.ReceivedAt.Compare(a.ReceivedAt.Time) })
	return all[:min(len(all), limit)], nil
}

// FindDeviceContext returns where a device is booking its scans to.
func (s *Service) FindDeviceContext(ctx context.Context, device string) (*DeviceContext, error) {
	return s.Store.FindDeviceContext(ctx, device)
}
