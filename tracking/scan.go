package tracking

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"
)

// Result says what a scan did. The values are part of the API.
type Result string

// The results of a scan; see API.md.
const (
	ResultMoved        Result = "moved"
	ResultAlreadyHere  Result = "already_here"
	ResultLocationSet  Result = "location_set"
	ResultRecordedLate Result = "recorded_late"
	ResultUnknown      Result = "unknown_barcode"
	ResultRejected     Result = "rejected"
	// ResultAmbiguous answers an NHS number scan for a patient with several
	// active volumes: nothing moves, and Choices lists the volumes so the
	// porter can scan the folder's own barcode instead.
	ResultAmbiguous Result = "ambiguous"
	// ResultError fills a batch slot whose scan could not be taken at all.
	ResultError Result = "error"
)

// ReviewResults are the results of scans kept for someone to look at:
// nothing moved, and a person should find out why.
var ReviewResults = []Result{ResultUnknown, ResultRejected, ResultError, ResultAmbiguous}

// Reviewed reports whether scans with the result are kept for review.
func (r Result) Reviewed() bool {
	for _, rr := range ReviewResults {
		if rr == r {
			return true
		}
	}
	return false
}

// Channels name how a scan reached casetrack; reports group by them.
const (
	ChannelAPI     = "api"
	ChannelBatch   = "batch"
	ChannelFile    = "file"
	ChannelImage   = "image"
	ChannelStation = "station"
	ChannelCamera  = "camera"
	ChannelTCP     = "tcp"
)

// FutureTolerance is how far ahead of the server a device clock may be
// before its scan time is distrusted: later than this would let one bad
// clock pin a volume to a place no later scan could move it from.
const FutureTolerance = 5 * time.Minute

// Scan is one barcode read as a device reports it.
type Scan struct {
	ScanID    string    `json:"scan_id"`
	Barcode   string    `json:"barcode"`
	Location  string    `json:"location,omitempty"`
	Device    string    `json:"device,omitempty"`
	ScannedAt Timestamp `json:"scanned_at"`
	Channel   string    `json:"-"`
	By        string    `json:"-"`
	Role      Role      `json:"-"`
	// ActorKind is what kind of actor By is, for the access log.
	ActorKind ActorKind `json:"-"`
	// Sweep is the sweep the scan is made for, if any (see sweep.go).
	Sweep SweepID `json:"sweep,omitempty"`
	// Invalid is set when the scan as sent could not even be read (a
	// batch slot of the wrong shape): it is kept and answered as an error.
	Invalid error `json:"-"`
}

// ScanResult is the answer to a scan. It is stored with the scan and given
// back unchanged when the same scan id is sent again.
type ScanResult struct {
	ScanID           string    `json:"scan_id"`
	Result           Result    `json:"result"`
	Volume           *Volume   `json:"volume"`
	Location         *Location `json:"location"`
	PreviousLocation *Location `json:"previous_location"`
	ScannedAt        Timestamp `json:"scanned_at"`
	ReceivedAt       Timestamp `json:"received_at"`
	Message          string    `json:"message,omitempty"`
	TimeAdjusted     bool      `json:"time_adjusted,omitempty"`
	Choices          []*Volume `json:"choices,omitempty"`
	// Error is set, with Result "error", for a scan that could not be
	// taken: it is kept and answered the same way if sent again.
	Error *ScanError `json:"error,omitempty"`
	// Fulfils, Wanted and PartArrivals say what the scan meant for open
	// requests (see routeRequests): only a scan answered moved or
	// already_here has them.
	Fulfils      []int64       `json:"fulfils,omitempty"`
	Wanted       []WantedAt    `json:"wanted,omitempty"`
	PartArrivals []PartArrival `json:"incomplete,omitempty"`
	// Found says the scan found a volume recorded as missing.
	Found bool `json:"found,omitempty"`
	// Relabel says the folder's label is out of date after a merge.
	Relabel *RelabelNotice `json:"relabel,omitempty"`
}

// ScanError is why a scan could not be taken, as the API shows it.
type ScanError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// ScanRecord is a scan on its way into the store: the scan, what it was
// resolved to, and (once stored) the answer as the client will see it.
type ScanRecord struct {
	Scan       Scan
	Raw        string
	Code       Code
	ReceivedAt Timestamp
	// Volume and Target are set when the scan books a volume to a location.
	Volume *Volume
	Target *Location
	// Result is the answer. Resolving a scan fills it in; for a movement
	// it is completed by the Decision the store takes inside the
	// transaction that writes it.
	Result ScanResult
	// Effects are what the scan writes beside its own row, as resolved
	// and decided.
	Effects Effects
	// Response is the stored JSON answer; Repeat is true when the scan id
	// had been seen before and Response is the first answer.
	Response []byte
	Repeat   bool
	// WantedUntil is how far ahead a request's need shows in the answer
	// as "wanted": the arrival time and the wanted horizon.
	WantedUntil time.Time
}

// Moves reports whether the record books a volume somewhere.
func (r *ScanRecord) Moves() bool { return r.Volume != nil && r.Target != nil }

// DeviceContext is where a device says it is: the last location barcode it
// scanned. It lives in the database so any instance, and a restarted one,
// books the device's next scans to the same place.
type DeviceContext struct {
	Device   string
	Location *Location
	SetAt    time.Time
	SetBy    string
	ScanID   string
}

// ScanFilter narrows FindScans, the review list of scans.
type ScanFilter struct {
	Result Result
	Device string
	Limit  int
	// Unchecked leaves out the scans someone has marked checked.
	Unchecked bool
	// ScanID picks one scan.
	ScanID string
}

// StoredScan is a scan as kept for review.
type StoredScan struct {
	ScanID     string    `json:"scan_id"`
	Barcode    string    `json:"barcode"`
	Result     Result    `json:"result"`
	Device     string    `json:"device"`
	Channel    string    `json:"channel"`
	By         string    `json:"by"`
	ScannedAt  Timestamp `json:"scanned_at"`
	ReceivedAt Timestamp `json:"received_at"`
	Message    string    `json:"message,omitempty"`
	// BookingTo is where the device was booking to when it scanned: the
	// last location it scanned before.
	BookingTo *Location `json:"booking_to,omitempty"`
	// CheckedBy and CheckedAt say who marked the scan as dealt with.
	CheckedBy string     `json:"checked_by,omitempty"`
	CheckedAt *Timestamp `json:"checked_at,omitempty"`
}

// ScanStore is the part of Store that keeps scans.
type ScanStore interface {
	// RecordScans stores the source's scans atomically and in order,
	// taking them resolved a stage at a time as it chooses: each record's
	// row, its answer and its effects (see Effects and Decision), decided
	// against its volume's state under lock. A record whose scan id is
	// stored already gets that first Response and Repeat = true, and
	// changes nothing. Nothing is acknowledged before the transaction
	// holding it commits; when RecordScans fails, only records with a
	// Response were stored.
	RecordScans(ctx context.Context, src ScanSource) error
	// FindScanResponses returns the stored answers of those scan ids that
	// have been seen, keyed by scan id.
	FindScanResponses(ctx context.Context, ids []string) (map[string][]byte, error)
	FindDeviceContext(ctx context.Context, device string) (*DeviceContext, error)
	FindScans(ctx context.Context, f ScanFilter) ([]*StoredScan, error)
	// MarkScanChecked records who checked a kept scan, and when.
	MarkScanChecked(ctx context.Context, scanID, by string, at time.Time) error
}

// ScanSource is a list of scans on its way into the store. The store takes
// it a stage at a time, as many scans as it means to write together: all
// at once, or fewer, to write one stage while the next is resolved. Each
// stage comes back resolved, as the records to store in list order; a scan
// whose id is stored already, or is an earlier scan's in the list, needs
// no writing and is left out, and no scan id comes back twice.
type ScanSource interface {
	// Len is how many scans the list holds.
	Len() int
	// Next resolves the next n scans of the list (fewer at its end) and
	// returns the records among them to store.
	Next(ctx context.Context, n int) ([]*ScanRecord, error)
}

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
// be taken and the others go on. err is set when the store failed, and
// then no record without a Response may be taken as acknowledged; or,
// with nothing stored, when a scan names a device the actor may not scan
// as (see CheckDevice).
func (s *Service) RecordScans(ctx context.Context, a Actor, scans []Scan) (recs []*ScanRecord, errs []error, err error) {
	received := TimestampOf(s.now())
	recs = make([]*ScanRecord, len(scans))
	errs = make([]error, len(scans))
	for i := range scans {
		scans[i] = s.withDefaults(scans[i], a, received)
		recs[i] = &ScanRecord{Scan: scans[i], Raw: scans[i].Barcode, ReceivedAt: received}
		recs[i].WantedUntil = received.Add(s.wantedHorizon())
	}
	if err := s.checkDevices(ctx, a, scans); err != nil {
		return nil, nil, err
	}
	b := &scanBatch{s: s, recs: recs, lk: newScanLookups(s.Store), ids: newScanIDs(len(recs))}
	if err := s.Store.RecordScans(ctx, b); err != nil {
		return nil, nil, err
	}
	if err := s.auditRepeats(ctx, a, recs); err != nil {
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
// first: those of the filter's result, or of them all when it has none,
// from its device if it names one, only those nobody has checked if it
// says so, at most its limit. Each result is asked for apart, so the
// store reads each from its own index.
func (s *Service) ReviewScans(ctx context.Context, f ScanFilter) ([]*StoredScan, error) {
	if f.Result != "" && !f.Result.Reviewed() {
		return nil, FieldError("result", "Scans answered %q are not kept for review.", f.Result)
	}
	limit := scanLimit(f.Limit)
	var all []*StoredScan
	for _, r := range ReviewResults {
		if f.Result != "" && r != f.Result {
			continue
		}
		one := f
		one.Result, one.Limit = r, limit
		scans, err := s.FindScans(ctx, one)
		if err != nil {
			return nil, err
		}
		all = append(all, scans...)
	}
	slices.SortStableFunc(all, func(a, b *StoredScan) int { return b.ReceivedAt.Compare(a.ReceivedAt.Time) })
	return all[:min(len(all), limit)], nil
}
