package tracking

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Service applies casetrack's rules over a Store. Handlers and commands
// call it; it never knows how it was called.
type Service struct {
	Store Store
	// Parse turns a scanner's raw text into a Code (scanner.Parse).
	Parse CodeParser
	// Now is the clock, injected so tests can fix it.
	Now func() time.Time

	locations locationCache
}

// NewService returns a Service on the store with the real clock.
func NewService(store Store, parse CodeParser) *Service {
	return &Service{Store: store, Parse: parse, Now: time.Now}
}

func (s *Service) now() time.Time { return s.Now().UTC() }

func (s *Service) today() Date { return DateOf(s.now()) }

// audit writes access entries; a failure to audit fails the read, because
// an unaudited read of a patient's record must not happen.
func (s *Service) audit(ctx context.Context, a Actor, action, detail string, patientIDs ...int64) error {
	if len(patientIDs) == 0 {
		return nil
	}
	at := s.now()
	entries := make([]Access, 0, len(patientIDs))
	for _, id := range patientIDs {
		entries = append(entries, Access{At: at, Actor: a.Name, Role: a.Role, Action: action, PatientID: id, Detail: detail})
	}
	return s.Store.LogAccess(ctx, entries)
}

// newScanID makes a scan id for a device that sent none.
func newScanID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "srv-" + hex.EncodeToString(b)
}
