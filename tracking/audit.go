package tracking

import (
	"bytes"
	"context"
	"strconv"
	"time"
)

// Access is one entry of the access audit log: who read or changed which
// patient's record, when, and how. Records managers answer "who looked at
// this record?" from it, so every patient read writes one. An
// administrator's change to users or tokens is an entry too, with no
// patient (PatientID 0) and the user's or token's name in Detail.
type Access struct {
	At    time.Time
	Actor string
	// ActorKind says whether Actor is a user, a token or casetrack itself.
	ActorKind ActorKind
	Role      Role
	Action    string
	PatientID int64
	Detail    string
}

// AuditStore is the part of Store that keeps the access audit log.
type AuditStore interface {
	LogAccess(ctx context.Context, entries []Access) error
	// FindAccessLog returns the entries the filter asks for, newest first
	// (by time, then by the order they were written), each with the
	// patient it names.
	FindAccessLog(ctx context.Context, f AccessFilter) ([]AccessEntry, error)
}

// audit writes access entries; a failure to audit fails the read, because
// an unaudited read of a patient's record must not happen.
func (s *Service) audit(ctx context.Context, a Actor, action, detail string, patientIDs ...int64) error {
	if len(patientIDs) == 0 {
		return nil
	}
	return s.Store.LogAccess(ctx, s.accessEntries(a, action, detail, patientIDs...))
}

// administer makes one change an administrator asks for to users or tokens
// and records it: in the access audit log (who, with which role, what, to
// which name, and how) and in the application log. A change that fails
// is only logged.
func (s *Service) administer(ctx context.Context, a Actor, action, target, how string, do func() error) error {
	if err := do(); err != nil {
		s.Logger.Warn("admin action failed", "actor", a.Name, "action", action, "target", target, "code", ErrorCode(err))
		return err
	}
	s.Logger.Info("admin action", "actor", a.Name, "action", action, "target", target, "how", how)
	detail := target
	if how != "" {
		detail += ": " + how
	}
	return s.Store.LogAccess(ctx, []Access{{At: s.now(), Actor: a.Name, ActorKind: a.KindOf(), Role: a.Role,
		Action: action, Detail: detail}})
}

// auditRepeats writes an access-log entry for each scan of the list whose
// scan id had been stored before and whose stored answer, given back
// again now, shows a patient: the answer goes to whoever sent the scan id
// this time, who may not be who sent it first. A scan id sent twice in
// one list is not among them (its first scan's entry is written with
// it), and a repeat that shows no patient costs nothing.
func (s *Service) auditRepeats(ctx context.Context, a Actor, recs []*ScanRecord) error {
	var entries []Access
	for _, r := range recs {
		if !r.Repeat {
			continue
		}
		if p := answerPatientID(r.Response); p != 0 {
			entries = append(entries, Access{At: s.now(), Actor: a.Name, ActorKind: a.KindOf(), Role: a.Role,
				Action: "scan_repeat", PatientID: p, Detail: r.Scan.ScanID})
		}
	}
	if len(entries) == 0 {
		return nil
	}
	return s.Store.LogAccess(ctx, entries)
}

// patientKey starts the patient object of a stored answer (see
// ScanResult.AppendJSON). It cannot occur inside a JSON string, whose
// quotes are escaped, so its first occurrence is the patient the answer
// shows: the volume's, or the first choice's.
var patientKey = []byte(`"patient":{"id":`)

// answerPatientID is the id of the patient a stored answer shows, or 0.
func answerPatientID(resp []byte) int64 {
	i := bytes.Index(resp, patientKey)
	if i < 0 {
		return 0
	}
	rest := resp[i+len(patientKey):]
	end := bytes.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(rest)
	}
	id, err := strconv.ParseInt(string(rest[:end]), 10, 64)
	if err != nil {
		return 0
	}
	return id
}
