package tracking

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"
)

// Limits on what a device may send with a scan.
const (
	maxScanIDLen  = 100
	maxDeviceLen  = 64
	maxBarcodeLen = 512
)

// resolve works out what a scan means: which volume goes where, which
// location a device is now at, or why nothing happens. It reads only; the
// store decides the movement itself under lock.
func (s *Service) resolve(ctx context.Context, rec *ScanRecord, lk *scanLookups) error {
	if err := checkScanFields(rec.Scan); err != nil {
		return err
	}
	sc := &rec.Scan
	rec.Result = ScanResult{ScanID: sc.ScanID, ScannedAt: sc.ScannedAt, ReceivedAt: rec.ReceivedAt}
	if err := s.resolveSweep(ctx, rec, lk); err != nil {
		return err
	}
	if sc.ScannedAt.After(rec.ReceivedAt.Add(FutureTolerance)) {
		sc.ScannedAt = rec.ReceivedAt
		rec.Result.ScannedAt = rec.ReceivedAt
		rec.Result.TimeAdjusted = true
		rec.Result.Message = "The device's clock is ahead of the server's: the scan was timed when it arrived."
	}
	code, err := s.Parse(sc.Barcode)
	if err != nil {
		if ErrorCode(err) != EINVALID {
			return err
		}
		rec.Result.Result = ResultRejected
		addMessage(&rec.Result, ErrorMessage(err))
		return nil
	}
	rec.Code = code
	vol, loc, choices, err := s.lookupCode(ctx, code, lk)
	switch {
	case err != nil:
		return err
	case len(choices) > 1:
		rec.Result.Result, rec.Result.Choices = ResultAmbiguous, choices
		addMessage(&rec.Result, "This patient has several volumes: scan the barcode on the folder itself.")
	case vol != nil:
		return s.resolveMovement(ctx, rec, vol, lk)
	case loc != nil:
		setContext(rec, loc, lk)
	default:
		rec.Result.Result = ResultUnknown
		addMessage(&rec.Result, "No volume or location has this barcode; the scan is kept for review.")
	}
	return nil
}

func checkScanFields(sc Scan) error {
	switch {
	case len(sc.ScanID) > maxScanIDLen:
		return FieldError("scan_id", "scan_id must be at most %d characters.", maxScanIDLen)
	case len(sc.Device) > maxDeviceLen:
		return FieldError("device", "device must be at most %d characters.", maxDeviceLen)
	case len(sc.Barcode) > maxBarcodeLen:
		return FieldError("barcode", "barcode must be at most %d characters.", maxBarcodeLen)
	}
	for field, v := range map[string]string{"scan_id": sc.ScanID, "device": sc.Device, "location": sc.Location} {
		if !printable(v) {
			return FieldError(field, "%s may not contain control characters or invalid UTF-8.", field)
		}
	}
	return nil
}

// printable reports whether s is valid UTF-8 without control characters.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f {
			return false
		}
	}
	return true
}

// StorableText makes a scanner's raw text safe to keep: databases refuse
// NUL bytes and invalid UTF-8, yet the scan must be kept as sent, so those
// become visible stand-ins (U+2400 for NUL, U+FFFD for bad bytes).
func StorableText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\u2400")
}

func setContext(rec *ScanRecord, loc *Location, lk *scanLookups) {
	rec.Result.Result, rec.Result.Location = ResultLocationSet, loc
	if rec.Scan.Device == "" {
		addMessage(&rec.Result, "No device was named, so no device context was set.")
		return
	}
	rec.Effects.Context = loc
	lk.setDevice(rec.Scan.Device, loc)
}

// resolveMovement finds where the volume is being booked to: the scan's own
// location, else the device's context.
func (s *Service) resolveMovement(ctx context.Context, rec *ScanRecord, vol *Volume, lk *scanLookups) error {
	target, err := s.scanTarget(ctx, rec.Scan, lk)
	if err != nil {
		return err
	}
	rec.Result.Volume = vol
	if !vol.Movable() {
		msg, err := s.unmovableMessage(ctx, vol)
		rec.Result.Result = ResultRejected
		addMessage(&rec.Result, msg)
		return err
	}
	rec.Volume, rec.Target = vol, target
	rec.Effects.Requested = vol.Requested
	rec.Result.Location = target
	return nil
}

func (s *Service) scanTarget(ctx context.Context, sc Scan, lk *scanLookups) (*Location, error) {
	if sc.Location != "" {
		l, err := s.FindLocation(ctx, sc.Location)
		return l, notFoundAsInvalid(err, "location", "Location %q names no location.", sc.Location)
	}
	if sc.Device != "" {
		l, err := lk.device(ctx, sc.Device)
		if err != nil || l != nil {
			return l, err
		}
	}
	return nil, FieldError("location", "No location to book this volume to: scan a location barcode first, or give a location.")
}

// lookupCode finds what a code names. Several volumes come back as choices
// (an NHS number of a patient with more than one active volume).
func (s *Service) lookupCode(ctx context.Context, c Code, lk *scanLookups) (vol *Volume, loc *Location, choices []*Volume, err error) {
	switch c.Kind {
	case CodeVolume:
		vol, err = lk.volume(ctx, c.Value)
	case CodeLocation, CodeGLN:
		loc, err = s.locationByBarcode(ctx, c.Value)
	case CodeNHSNumber:
		vol, choices, err = s.volumeOfNHSNumber(ctx, c.Value)
	default:
		if vol, err = lk.volume(ctx, c.Value); ErrorCode(err) == ENOTFOUND {
			loc, err = s.FindLocation(ctx, c.Value)
		}
	}
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, nil, nil
	}
	return vol, loc, choices, err
}

// volumeOfNHSNumber picks the volume a scanned NHS number means: the
// patient's one active volume, else the only volume; otherwise the choices.
func (s *Service) volumeOfNHSNumber(ctx context.Context, nhs string) (*Volume, []*Volume, error) {
	ps, err := s.Store.FindPatients(ctx, PatientFilter{NHSNumber: nhs, Limit: 2})
	if err != nil || len(ps) != 1 {
		return nil, nil, err
	}
	var active []*Volume
	for _, v := range ps[0].Volumes {
		if v.Status == StatusActive || v.Status == StatusTemporary {
			active = append(active, v)
		}
	}
	if len(active) == 0 {
		active = ps[0].Volumes
	}
	if len(active) != 1 {
		return nil, active, nil
	}
	v, err := s.Store.FindVolumeByBarcode(ctx, active[0].Barcode)
	return v, nil, err
}

// addMessage adds a sentence to the answer's message, keeping any already
// there (such as the note that the device's clock was ahead).
func addMessage(r *ScanResult, msg string) {
	if r.Message == "" {
		r.Message = msg
		return
	}
	r.Message += " " + msg
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

// withDefaults fills what a device may leave out (a device token's device
// is itself) and distrusts a device clock that runs ahead of ours.
func (s *Service) withDefaults(sc Scan, a Actor, received Timestamp) Scan {
	if sc.ScanID == "" {
		sc.ScanID = newScanID()
	}
	if sc.Device == "" && a.IsDeviceToken() {
		sc.Device = a.Name
	}
	if sc.Channel == "" {
		sc.Channel = ChannelAPI
	}
	sc.By, sc.Role, sc.ActorKind = a.Name, a.Role, a.KindOf()
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
	// sweeps are the open sweeps the request's scans are made for, and
	// sweepSeq counts their scans.
	sweeps   map[SweepID]*SweepTarget
	sweepSeq int
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
