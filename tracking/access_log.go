package tracking

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Reading the access log: who read or changed which patient's record,
// by patient, by actor and by time, newest first, a page at a time. The
// records manager who reads it is written to it too.

// AccessEntry is an entry of the access log as read back.
type AccessEntry struct {
	Access
	// ID orders entries written at the same time.
	ID int64
	// Patient is the patient the entry names, nil for none.
	Patient *Patient
}

// AccessFilter narrows FindAccessLog. Zero fields do not narrow.
type AccessFilter struct {
	PatientID int64
	Actor     string
	// From and To bound the entries' times, both included.
	From, To time.Time
	// After, when set, keeps only entries older than it: the page after
	// the one that ended there.
	After *AccessCursor
	Limit int
}

// AccessCursor is where a page of the log ended: its last entry's time
// and id.
type AccessCursor struct {
	At time.Time
	ID int64
}

// AccessQuery is a request to read the access log as a person or an
// integration words it. Every field may be empty.
type AccessQuery struct {
	// Patient is a hospital number; Actor a user's or token's name.
	Patient, Actor string
	// From and To are dates (the whole day, in the server's time zone)
	// or RFC 3339 times, both included.
	From, To string
	// After is the Next of the page before; Limit how many to return.
	After string
	Limit int
}

// AccessPage is a page of the access log, newest first.
type AccessPage struct {
	Entries []AccessEntry
	// Next reads the page after this one (older entries); "" when there
	// are no more.
	Next string
}

// Pages of the access log are bounded: a list is for reading. A download
// may hold more (MaxAccessExport).
const (
	defaultAccessLimit = 100
	maxAccessLimit     = 1000
	// MaxAccessExport is the most entries one download of the log holds.
	MaxAccessExport = 50_000
)

// ReadAccessLog returns a page of the access log (see AccessQuery) and
// writes the reading to the log: an entry for each patient the page shows,
// with the question asked as the detail, or one naming no patient when it
// shows none. An unknown patient is ENOTFOUND; a bad date, time or page
// EINVALID naming the field.
func (s *Service) ReadAccessLog(ctx context.Context, a Actor, q AccessQuery) (AccessPage, error) {
	f, err := s.accessFilter(ctx, q)
	if err != nil {
		return AccessPage{}, err
	}
	f.Limit = accessLimit(q.Limit, maxAccessLimit)
	return s.readAccessLog(ctx, a, q, f)
}

// ExportAccessLog is ReadAccessLog for a download: up to MaxAccessExport
// entries from the first page on, with Next set when there are more.
func (s *Service) ExportAccessLog(ctx context.Context, a Actor, q AccessQuery) (AccessPage, error) {
	f, err := s.accessFilter(ctx, q)
	if err != nil {
		return AccessPage{}, err
	}
	f.Limit = MaxAccessExport
	return s.readAccessLog(ctx, a, q, f)
}

func (s *Service) readAccessLog(ctx context.Context, a Actor, q AccessQuery, f AccessFilter) (AccessPage, error) {
	limit := f.Limit
	f.Limit++ // one more tells whether there is a next page
	entries, err := s.Store.FindAccessLog(ctx, f)
	if err != nil {
		return AccessPage{}, err
	}
	var page AccessPage
	if len(entries) > limit {
		entries = entries[:limit]
		last := entries[limit-1]
		page.Next = AccessCursor{At: last.At, ID: last.ID}.String()
	}
	page.Entries = entries
	return page, s.auditAccessRead(ctx, a, q, entries)
}

// auditAccessRead writes the reading of the log to the log.
func (s *Service) auditAccessRead(ctx context.Context, a Actor, q AccessQuery, entries []AccessEntry) error {
	detail := q.String()
	seen := map[int64]bool{}
	var ids []int64
	for _, e := range entries {
		if e.PatientID != 0 && !seen[e.PatientID] {
			seen[e.PatientID] = true
			ids = append(ids, e.PatientID)
		}
	}
	if len(ids) == 0 {
		return s.Store.LogAccess(ctx, []Access{{At: s.now(), Actor: a.Name, ActorKind: a.KindOf(), Role: a.Role,
			Action: "read_access_log", Detail: detail}})
	}
	return s.audit(ctx, a, "read_access_log", detail, ids...)
}

// accessFilter turns a query into a filter: the patient looked up, the
// dates and times read, the page decoded.
func (s *Service) accessFilter(ctx context.Context, q AccessQuery) (AccessFilter, error) {
	f := AccessFilter{Actor: strings.TrimSpace(q.Actor)}
	var err error
	if f.From, err = accessBound("from", q.From, false); err != nil {
		return f, err
	}
	if f.To, err = accessBound("to", q.To, true); err != nil {
		return f, err
	}
	if q.After != "" {
		c, err := ParseAccessCursor(q.After)
		if err != nil {
			return f, err
		}
		f.After = &c
	}
	if hn := strings.TrimSpace(q.Patient); hn != "" {
		p, err := s.Store.FindPatientByHospitalNumber(ctx, strings.ToUpper(hn))
		if err != nil {
			return f, err
		}
		f.PatientID = p.ID
	}
	return f, nil
}

// accessBound reads a from or to bound: an RFC 3339 time as it is, or a
// date as the first (from) or last (to) instant of that day in the
// server's time zone, so that to=2026-12-03 includes all of the 3rd.
func accessBound(field, v string, end bool) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC(), nil
	}
	d, err := time.ParseInLocation(DateLayout, v, time.Local)
	if err != nil {
		return time.Time{}, FieldError(field, "%s must be a date (YYYY-MM-DD) or a time (RFC 3339), not %q.", field, v)
	}
	if end {
		d = d.AddDate(0, 0, 1).Add(-time.Nanosecond)
	}
	return d.UTC(), nil
}

func accessLimit(n, most int) int {
	if n <= 0 {
		return defaultAccessLimit
	}
	return min(n, most)
}

// String writes the query as the detail of the entry that records it.
func (q AccessQuery) String() string {
	var parts []string
	for _, kv := range [][2]string{{"patient", q.Patient}, {"actor", q.Actor}, {"from", q.From}, {"to", q.To}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	if len(parts) == 0 {
		return "all"
	}
	return strings.Join(parts, " ")
}

// String writes the cursor as a page's Next: the time in nanoseconds and
// the id.
func (c AccessCursor) String() string {
	return strconv.FormatInt(c.At.UnixNano(), 10) + "." + strconv.FormatInt(c.ID, 10)
}

// ParseAccessCursor reads a page's Next back.
func ParseAccessCursor(s string) (AccessCursor, error) {
	at, id, ok := strings.Cut(s, ".")
	ns, err1 := strconv.ParseInt(at, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return AccessCursor{}, FieldError("after", "after must be the next value of an earlier page, not %q.", s)
	}
	return AccessCursor{At: time.Unix(0, ns).UTC(), ID: n}, nil
}
