package tracking

import (
	"context"
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
	// Context is set when the scan sets a device's location context.
	Context *Location
	// Result is complete for scans that move nothing; for movements the
	// store completes it inside the transaction that decides the outcome.
	Result ScanResult
	// Response is the stored JSON answer; Repeat is true when the scan id
	// had been seen before and Response is the first answer.
	Response []byte
	Repeat   bool
}

// Moves reports whether the record books a volume somewhere.
func (r *ScanRecord) Moves() bool { return r.Volume != nil && r.Target != nil }

// VolumeState is what the store reads, under lock, to decide a movement.
type VolumeState struct {
	CurrentID  int64
	LastScanAt *time.Time
}

// DecideMovement completes r.Result for a movement given the volume's
// locked state, and reports whether the movement becomes the volume's
// current location. It is the one place the time-order rule is applied.
func DecideMovement(r *ScanRecord, st VolumeState) (current bool) {
	current = Supersedes(r.Scan.ScannedAt.Time, st.LastScanAt)
	switch {
	case !current:
		r.Result.Result = ResultRecordedLate
		addMessage(&r.Result, "Recorded in history; a newer scan decides where this volume is.")
	case st.CurrentID == r.Target.ID:
		r.Result.Result = ResultAlreadyHere
	default:
		r.Result.Result = ResultMoved
	}
	return current
}

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
}

// ScanStore is the part of Store that keeps scans.
type ScanStore interface {
	// RecordScans stores each record atomically and in order: the scan row,
	// any movement and current-location change, any device context. A
	// record whose scan id is already stored gets that first Response and
	// Repeat = true, and changes nothing. Nothing is acknowledged before
	// the transaction holding it commits.
	RecordScans(ctx context.Context, recs []*ScanRecord) error
	// ScanStage is how many of a batch's records RecordScans is best
	// handed at a time: the service reads and resolves the next ones
	// while the store writes those. Zero means the whole batch at once,
	// for a store that overlaps its own writes.
	ScanStage() int
	// FindScanResponses returns the stored answers of those scan ids that
	// have been seen, keyed by scan id.
	FindScanResponses(ctx context.Context, ids []string) (map[string][]byte, error)
	FindDeviceContext(ctx context.Context, device string) (*DeviceContext, error)
	FindScans(ctx context.Context, f ScanFilter) ([]*StoredScan, error)
}
