package tracking

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Priority says how soon a request must be met when needs are equal.
type Priority string

// The priorities of a request.
const (
	PriorityRoutine Priority = "routine"
	PriorityUrgent  Priority = "urgent"
)

// RequestStatus is where a request stands.
type RequestStatus string

// The statuses of a request.
const (
	RequestOpen      RequestStatus = "open"
	RequestFulfilled RequestStatus = "fulfilled"
	RequestCancelled RequestStatus = "cancelled"
)

// Request asks for a patient's notes (or named volumes of them) at a place
// by a time. It is met by scanning: when every volume it wants has arrived
// there, it is fulfilled.
type Request struct {
	ID          int64            `json:"id"`
	Status      RequestStatus    `json:"status"`
	Patient     *Patient         `json:"patient"`
	Volumes     []*RequestVolume `json:"volumes"`
	Location    *Location        `json:"location"`
	NeededBy    Timestamp        `json:"needed_by"`
	Priority    Priority         `json:"priority"`
	Note        string           `json:"note"`
	Appointment string           `json:"appointment,omitempty"`
	// Start is the start of the appointment that holds the request.
	Start       *Timestamp `json:"appointment_start,omitempty"`
	RequestedBy string     `json:"requested_by"`
	CreatedAt   Timestamp  `json:"created_at"`
	FulfilledAt *Timestamp `json:"fulfilled_at,omitempty"`
	CancelledBy string     `json:"cancelled_by,omitempty"`
	CancelledAt *Timestamp `json:"cancelled_at,omitempty"`
	// Late is set on an open request whose need has passed: it stays open
	// and shows as late.
	Late bool `json:"late"`
	// AllVolumes is set when the request wants every volume of the
	// patient in use rather than the volumes it names.
	AllVolumes bool           `json:"all_volumes"`
	History    []RequestEvent `json:"history,omitempty"`

	PatientID     int64 `json:"-"`
	LocationID    int64 `json:"-"`
	AppointmentID int64 `json:"-"`
	// Items are the named volumes and arrivals, as stored.
	Items []RequestItem `json:"-"`
}

// RequestVolume is a volume a request wants, with when it arrived.
type RequestVolume struct {
	*Volume
	ArrivedAt *Timestamp `json:"arrived_at,omitempty"`
}

// RequestEvent is one line of a request's history: asked, arrived,
// fulfilled, moved, reopened, cancelled.
type RequestEvent struct {
	At     Timestamp `json:"at"`
	Event  string    `json:"event"`
	By     string    `json:"by"`
	Volume string    `json:"volume,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// State is the request as the rules weigh it.
func (r *Request) State() *RequestState {
	return &RequestState{ID: r.ID, PatientID: r.PatientID, LocationID: r.LocationID, Location: r.Location,
		NeededBy: r.NeededBy.Time, Priority: r.Priority, Whole: r.AllVolumes, Items: slices.Clone(r.Items)}
}

// RequestFilter narrows FindRequests.
type RequestFilter struct {
	Status RequestStatus
	// Location is a location's code or barcode, as a person gives it;
	// the service finds its LocationID.
	Location   string
	LocationID int64
	// PatientIDs, when set, keeps the requests of these patients.
	PatientIDs []int64
	// RequestedBy keeps the requests one person made.
	RequestedBy string
	Limit       int
}

// RequestStore is the part of Store that keeps requests.
type RequestStore interface {
	// CreateRequest stores a new request: under lock on the patient and its
	// volumes, the volumes already at the place count as arrived (see
	// RequestState.Settle), and a request they complete is stored
	// fulfilled. It sets the request's id, status and items.
	CreateRequest(ctx context.Context, r *Request) error
	// FindRequests lists requests, each with its patient (and the
	// patient's volumes, in Patient.Volumes, with their locations), its
	// location and items; open ones by need, the rest newest first.
	FindRequests(ctx context.Context, f RequestFilter) ([]*Request, error)
	// FindRequest finds one request as FindRequests does, with its history.
	FindRequest(ctx context.Context, id int64) (*Request, error)
	// CancelRequest cancels an open request; ECONFLICT when it is not open.
	CancelRequest(ctx context.Context, id int64, by string, at time.Time) error
	// WatchRequests tells of every change to any request, on this instance
	// or another, until ctx ends. since is the ID of the last news a
	// watcher had before it lost its connection: what came after is told
	// again when the instance still has it, else a Resync.
	WatchRequests(ctx context.Context, since string) (<-chan RequestChange, error)
}

// RequestChange is news of a request for pages that show requests live. It
// carries no patient data: a page that shows the request reads it.
type RequestChange struct {
	Request  int64  `json:"request"`
	Event    string `json:"event"`
	Location string `json:"location,omitempty"`
	// Resync says news may have been missed: read everything again.
	Resync bool `json:"resync,omitempty"`
	// ID names the news on this instance, for a watcher to say where
	// it was when it reconnects.
	ID string `json:"-"`
}

// RequestInput is a request as a person or a system asks for it.
type RequestInput struct {
	Patient  string   `json:"patient"`
	Volumes  []string `json:"volumes"`
	Location string   `json:"location"`
	NeededBy string   `json:"needed_by"`
	Priority Priority `json:"priority"`
	Note     string   `json:"note"`
}

// maxRequestNote bounds a request's note: a line for the library, not a
// letter.
const maxRequestNote = 500

// CreateRequest asks for a patient's notes, or the named volumes, at a
// place by a time. Notes already there make it fulfilled at once.
func (s *Service) CreateRequest(ctx context.Context, a Actor, in RequestInput) (*Request, error) {
	r, err := s.newRequest(ctx, in)
	if err != nil {
		return nil, err
	}
	r.RequestedBy, r.CreatedAt = a.Name, TimestampOf(s.now())
	if err := s.Store.CreateRequest(ctx, r); err != nil {
		return nil, err
	}
	out, err := s.Store.FindRequest(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	s.present(out)
	if err := s.maskRequests(ctx, a, out); err != nil {
		return nil, err
	}
	return out, s.audit(ctx, a, "create_request", "", out.PatientID)
}

// newRequest checks a request's input and finds what it names.
func (s *Service) newRequest(ctx context.Context, in RequestInput) (*Request, error) {
	r := &Request{Priority: in.Priority, Note: strings.TrimSpace(in.Note)}
	if r.Priority == "" {
		r.Priority = PriorityRoutine
	}
	if r.Priority != PriorityRoutine && r.Priority != PriorityUrgent {
		return nil, FieldError("priority", "Priority %q is not routine or urgent.", in.Priority)
	}
	if len([]rune(r.Note)) > maxRequestNote || !printable(strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(r.Note)) {
		return nil, FieldError("note", "The note must be at most %d characters of text.", maxRequestNote)
	}
	if strings.TrimSpace(in.NeededBy) == "" {
		return nil, FieldError("needed_by", "needed_by is required: when must the notes be there?")
	}
	needed, err := ParseLocalTime("needed_by", in.NeededBy, s.zone())
	if err != nil {
		return nil, err
	}
	r.NeededBy = TimestampOf(needed)
	if r.Location, err = s.FindLocation(ctx, in.Location); err != nil {
		return nil, notFoundAsInvalid(err, "location", "Location %q names no location.", in.Location)
	}
	r.LocationID = r.Location.ID
	return r, s.requestedNotes(ctx, r, in)
}

// requestedNotes finds the patient and the volumes a request names.
func (s *Service) requestedNotes(ctx context.Context, r *Request, in RequestInput) error {
	if strings.TrimSpace(in.Patient) != "" {
		p, err := s.Store.FindPatientByHospitalNumber(ctx, normalizeCode(in.Patient))
		if err != nil {
			return notFoundAsInvalid(err, "patient", "No patient has the hospital number %q.", in.Patient)
		}
		r.PatientID = p.ID
	}
	for _, bc := range in.Volumes {
		v, err := s.Store.FindVolumeByBarcode(ctx, strings.TrimSpace(bc))
		if err != nil {
			return notFoundAsInvalid(err, "volumes", "No volume has the barcode %q.", bc)
		}
		if r.PatientID != 0 && v.PatientID != r.PatientID {
			return FieldError("volumes", "Volume %s belongs to another patient.", v.Barcode)
		}
		if !slices.Contains(namedWantable, v.Status) {
			return FieldError("volumes", "Volume %s is %s: it cannot be brought anywhere.", v.Barcode, v.Status)
		}
		r.PatientID = v.PatientID
		r.Items = append(r.Items, RequestItem{VolumeID: v.ID, Named: true})
	}
	if r.PatientID == 0 {
		return FieldError("patient", "Give the patient's hospital number, or the volumes wanted.")
	}
	r.AllVolumes = len(r.Items) == 0
	return nil
}

// Default limits of request lists: a queue is worked from the top.
const (
	defaultRequestLimit = 1000
	maxRequestLimit     = 10_000
)

// FindRequests lists requests by status and place; every patient shown is
// written to the access log.
func (s *Service) FindRequests(ctx context.Context, a Actor, f RequestFilter) ([]*Request, error) {
	if f.Status != "" && f.Status != RequestOpen && f.Status != RequestFulfilled && f.Status != RequestCancelled {
		return nil, FieldError("status", "Status %q is not open, fulfilled or cancelled.", f.Status)
	}
	if f.Limit <= 0 || f.Limit > maxRequestLimit {
		f.Limit = defaultRequestLimit
	}
	if strings.TrimSpace(f.Location) != "" {
		l, err := s.FindLocation(ctx, f.Location)
		if err != nil {
			return nil, notFoundAsInvalid(err, "location", "Location %q names no location.", f.Location)
		}
		f.LocationID = l.ID
	}
	rs, err := s.Store.FindRequests(ctx, f)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(rs))
	for i, r := range rs {
		s.present(r)
		ids[i] = r.PatientID
	}
	SortRequests(rs)
	if err := s.maskRequests(ctx, a, rs...); err != nil {
		return nil, err
	}
	return rs, s.audit(ctx, a, "list_requests", "", ids...)
}

// FindRequest shows one request with its history.
func (s *Service) FindRequest(ctx context.Context, a Actor, id int64) (*Request, error) {
	r, err := s.Store.FindRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	s.present(r)
	if err := s.maskRequests(ctx, a, r); err != nil {
		return nil, err
	}
	return r, s.audit(ctx, a, "view_request", "", r.PatientID)
}

// CancelRequest cancels an open request: the notes are no longer wanted.
func (s *Service) CancelRequest(ctx context.Context, a Actor, id int64) (*Request, error) {
	if err := s.Store.CancelRequest(ctx, id, a.Name, s.now()); err != nil {
		return nil, err
	}
	r, err := s.Store.FindRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	s.present(r)
	if err := s.maskRequests(ctx, a, r); err != nil {
		return nil, err
	}
	return r, s.audit(ctx, a, "cancel_request", "", r.PatientID)
}

// WatchRequests tells of changes to requests until ctx ends, starting
// after the news since names (none: from now).
func (s *Service) WatchRequests(ctx context.Context, since string) (<-chan RequestChange, error) {
	return s.Store.WatchRequests(ctx, since)
}

// LastRequestLocation is where the person last asked for notes to go, for
// a form to offer it again; nil when they never have.
func (s *Service) LastRequestLocation(ctx context.Context, a Actor) (*Location, error) {
	rs, err := s.Store.FindRequests(ctx, RequestFilter{RequestedBy: a.Name, Limit: 1})
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return rs[0].Location, nil
}

// present completes a stored request for showing: the volumes it wants
// (each with where it is and when it arrived) and whether it is late.
func (s *Service) present(r *Request) {
	st := r.State()
	r.Volumes = []*RequestVolume{}
	if r.Patient != nil {
		for _, v := range r.Patient.Volumes {
			if !st.Wants(HeldVolume{ID: v.ID, PatientID: v.PatientID, Status: v.Status, CurrentID: v.CurrentID}) {
				continue
			}
			rv := &RequestVolume{Volume: v}
			if it := st.item(v.ID); it != nil && it.Arrived() {
				at := TimestampOf(it.ArrivedAt)
				rv.ArrivedAt = &at
			}
			r.Volumes = append(r.Volumes, rv)
		}
		r.Patient.Volumes = nil
	}
	r.Late = r.Status == RequestOpen && r.NeededBy.Before(s.now())
}

// SortRequests puts requests in the order lists show them: open ones by
// need (urgent first at equal times), then the others newest first.
func SortRequests(rs []*Request) {
	slices.SortStableFunc(rs, func(a, b *Request) int {
		ao, bo := a.Status == RequestOpen, b.Status == RequestOpen
		switch {
		case ao && bo:
			return byNeed(a.NeededBy.Time, b.NeededBy.Time, a.Priority, b.Priority, a.ID, b.ID)
		case ao != bo:
			if ao {
				return -1
			}
			return 1
		}
		return int(b.ID - a.ID)
	})
}

// ParseLocalTime reads a time given from outside: RFC 3339, or a date and
// time without an offset, which is local to zone (a clerk types the time
// on the ward clock).
func ParseLocalTime(field, s string, zone *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, zone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, FieldError(field, "%s %q must be a time such as 2026-11-23T09:00 (local) or 2026-11-23T09:00:00Z.", field, s)
}

// zone is where calendar dates and times without an offset are read:
// the server's local time unless the service is told otherwise.
func (s *Service) zone() *time.Location {
	if s.Zone != nil {
		return s.Zone
	}
	return time.Local
}
