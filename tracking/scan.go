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
