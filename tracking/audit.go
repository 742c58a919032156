package tracking

import (
	"context"
	"time"
)

// Access is one entry of the access audit log: who read or changed which
// patient's record, when, and how. Records managers answer "who looked at
// this record?" from it, so every patient read writes one. An
// administrator's change to users or tokens is an entry too, with no
// patient (PatientID 0) and the user's or token's name in Detail.
type Access struct {
	At        time.Time
	Actor     string
	Role      Role
	Action    string
	PatientID int64
	Detail    string
}

// AuditStore is the part of Store that keeps the access audit log.
type AuditStore interface {
	LogAccess(ctx context.Context, entries []Access) error
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
	return s.Store.LogAccess(ctx, []Access{{At: s.now(), Actor: a.Name, Role: a.Role, Action: action, Detail: detail}})
}
