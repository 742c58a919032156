package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

type sessionRow struct {
	Hash      string `gorm:"primaryKey"`
	UserID    int64
	CSRF      string `gorm:"column:csrf"`
	CreatedAt time.Time
	LastSeen  time.Time
}

func (sessionRow) TableName() string { return "sessions" }

type loginFailureRow struct {
	ID      int64
	Subject string
	At      time.Time
}

func (loginFailureRow) TableName() string { return "login_failures" }

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, s *tracking.Session) error {
	row := sessionRow{Hash: s.Hash, UserID: s.UserID, CSRF: s.CSRF, CreatedAt: s.CreatedAt.UTC(), LastSeen: s.LastSeen.UTC()}
	return translate(db.gorm.WithContext(ctx).Create(&row).Error, "session")
}

// FindSession finds a session of an enabled user, with the user's name and
// role as they are now.
func (db *DB) FindSession(ctx context.Context, hash string) (*tracking.Session, error) {
	var rows []struct {
		Hash      string
		UserID    int64
		CSRF      string `gorm:"column:csrf"`
		CreatedAt time.Time
		LastSeen  time.Time
		Name      string
		Role      string
	}
	err := scan(db.gorm.WithContext(ctx).Raw(`SELECT s.hash, s.user_id, s.csrf, s.created_at, s.last_seen, u.name, u.role
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.hash = ? AND NOT u.disabled`, hash), &rows)
	if err != nil {
		return nil, translate(err, "session")
	}
	if len(rows) == 0 {
		return nil, tracking.Errorf(tracking.ENOTFOUND, "No such session.")
	}
	r := rows[0]
	return &tracking.Session{Hash: r.Hash, UserID: r.UserID, User: r.Name, Role: tracking.Role(r.Role),
		CSRF: r.CSRF, CreatedAt: r.CreatedAt.UTC(), LastSeen: r.LastSeen.UTC()}, nil
}

// TouchSession moves the session's last use on to at.
func (db *DB) TouchSession(ctx context.Context, hash string, at time.Time) error {
	err := db.gorm.WithContext(ctx).Exec("UPDATE sessions SET last_seen = ? WHERE hash = ?", at.UTC(), hash).Error
	return translate(err, "session")
}

// DeleteSession ends a session; ending one that is gone is not an error.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	return translate(db.gorm.WithContext(ctx).Exec("DELETE FROM sessions WHERE hash = ?", hash).Error, "session")
}

// DeleteSessionsBefore removes sessions idle since before the time.
func (db *DB) DeleteSessionsBefore(ctx context.Context, before time.Time) error {
	err := db.gorm.WithContext(ctx).Exec("DELETE FROM sessions WHERE last_seen < ?", before.UTC()).Error
	return translate(err, "session")
}

// AddLoginFailure records one failed sign-in against each key.
func (db *DB) AddLoginFailure(ctx context.Context, keys []string, at time.Time) error {
	if len(keys) == 0 {
		return nil
	}
	rows := make([]loginFailureRow, len(keys))
	for i, k := range keys {
		rows[i] = loginFailureRow{Subject: k, At: at.UTC()}
	}
	return translate(db.gorm.WithContext(ctx).Create(&rows).Error, "login failure")
}

// CountLoginFailures counts the key's failures since the time.
func (db *DB) CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int64
	err := db.gorm.WithContext(ctx).Model(&loginFailureRow{}).Where("subject = ? AND at >= ?", key, since.UTC()).Count(&n).Error
	return int(n), translate(err, "login failure")
}

// ClearLoginFailures forgets the key's failures and all those older than
// before.
func (db *DB) ClearLoginFailures(ctx context.Context, key string, before time.Time) error {
	err := db.gorm.WithContext(ctx).Exec("DELETE FROM login_failures WHERE subject = ? OR at < ?", key, before.UTC()).Error
	return translate(err, "login failure")
}
