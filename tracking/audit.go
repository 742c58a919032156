package tracking

import (
	"context"
	"time"
)

// Access is one entry of the access audit log: who read or changed which
// patient's record, when, and how. Records managers answer "who looked at
// this record?" from it, so every patient read writes one.
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
