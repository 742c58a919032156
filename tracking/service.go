package tracking

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"
)

// Service applies casetrack's rules over a Store: it is the one way in to
// them. Handlers and commands call it; it never knows how it was called.
type Service struct {
	Store Store
	// Parse turns a scanner's raw text into a Code (scanner.Parse).
	Parse CodeParser
	// Now is the clock, injected so tests can fix it.
	Now func() time.Time
	// Logger records sign-ins and administrators' changes, never
	// patient data.
	Logger *slog.Logger
	// SessionIdle ends a page session unused this long, and SessionMaxAge
	// one this old however busy.
	SessionIdle, SessionMaxAge time.Duration
	// Zone is where calendar dates and times sent without an offset are
	// read (a pull list's day, a clinic's start); nil is the server's.
	Zone *time.Location
	// RequestLead is how long before an appointment its notes are needed,
	// and WantedHorizon how far ahead a request's need makes a scanned
	// volume "wanted" in the scan's answer; zero means the defaults.
	RequestLead, WantedHorizon time.Duration
	// Loans says when notes away from the library are overdue, and
	// MissingEscalation when a missing volume's search is escalated to
	// the records manager.
	Loans             LoanPolicy
	MissingEscalation time.Duration
	// TwoPersonDestruction makes recording a volume destroyed take two
	// people: the first proposes it, a second approves (SAFETY.md H09).
	TwoPersonDestruction bool

	locations     locationCache
	sensitiveLocs sensitiveSet
	tokens        tokenCache
	devices       deviceOwners
}

// NewService returns a Service on the store with the real clock, no
// logging, and the default session lengths and loan periods.
func NewService(store Store, parse CodeParser) *Service {
	return &Service{Store: store, Parse: parse, Now: time.Now, Logger: slog.New(slog.DiscardHandler),
		SessionIdle: DefaultSessionIdle, SessionMaxAge: DefaultSessionMaxAge,
		Loans: DefaultLoanPolicy(), MissingEscalation: DefaultMissingEscalation}
}

// Ping reports whether the database answers, for health checks.
func (s *Service) Ping(ctx context.Context) error { return s.Store.Ping(ctx) }

func (s *Service) now() time.Time { return s.Now().UTC() }

func (s *Service) today() Date { return DateOf(s.now()) }

// newScanID makes a scan id for a device that sent none.
func newScanID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "srv-" + hex.EncodeToString(b)
}
