package tracking

import (
	"context"
	"strings"
)

// CheckScan marks a scan kept for review as checked by the actor, so it
// leaves the records manager's list; the scan keeps who checked it and
// when. A scan already checked keeps its first check.
func (s *Service) CheckScan(ctx context.Context, a Actor, scanID string) (*StoredScan, error) {
	found, err := s.Store.FindScans(ctx, ScanFilter{ScanID: scanID, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, Errorf(ENOTFOUND, "No scan has the id %q.", scanID)
	}
	sc := found[0]
	switch {
	case !sc.Result.Reviewed():
		return nil, FieldError("scan_id", "Scan %q was answered %s: only scans kept for review are checked.", scanID, sc.Result)
	case sc.CheckedAt != nil:
		return sc, nil
	}
	now := s.now()
	if err := s.Store.MarkScanChecked(ctx, scanID, a.Name, now); err != nil {
		return nil, err
	}
	at := TimestampOf(now)
	sc.CheckedBy, sc.CheckedAt = a.Name, &at
	return sc, nil
}

// PageDevice reads a device name made by a scan page for the browser tab
// that scans, one for each person who signs in on it (static/scan.js:
// the page's channel, then 8 and 4 hex digits of a random id): which page
// it was (station or camera) and the tab's short id. Such a name says
// nothing to a person, who knows the tab by who was scanning on it.
func PageDevice(device string) (channel, tab string, ok bool) {
	channel, id, _ := strings.Cut(device, "-")
	if channel != ChannelStation && channel != ChannelCamera || len(id) != 13 || id[8] != '-' ||
		!lowerHex(id[:8]) || !lowerHex(id[9:]) {
		return "", "", false
	}
	return channel, id[:8], true
}

func lowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f') {
			return false
		}
	}
	return true
}
