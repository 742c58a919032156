package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

type sessionRow struct {
	Hash      string `gorm:"primaryKey"`
	UserID    int64
	CSRF      string `gorm:"column:csrf"`
	CreatedAt time.Time
	LastSeen  time.Time
}

func (sessionRow) TableName() string { return "sessions" }

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

// signInLockSpace is the first key of the advisory locks by which sign-in
// attempts from one address take turns on PostgreSQL.
const signInLockSpace = 7243002

// ClaimSignIn counts the attempt as a failure unless the name and address
// together, or the address, are at their limit (ETOOMANY, counting
// nothing). Attempts from one address take turns, each counting every
// attempt before it: on PostgreSQL by an advisory lock on the address
// held to commit, on SQLite by its one writer at a time.
func (db *DB) ClaimSignIn(ctx context.Context, a tracking.SignInAttempt, l tracking.SignInLimits) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if db.dialect == Postgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?, hashtext(?))", signInLockSpace, a.Addr).Error; err != nil {
				return err
			}
		}
		var n struct{ Addr, NameAddr int }
		err := tx.Raw(`SELECT count(*) AS addr, count(CASE WHEN name_key = ? THEN 1 END) AS name_addr
			FROM sign_in_failures WHERE addr = ? AND at >= ?`, a.NameKey, a.Addr, l.Since.UTC()).Scan(&n).Error
		if err != nil {
			return err
		}
		if n.NameAddr >= l.PerNameAddr || n.Addr >= l.PerAddr {
			return tracking.Errorf(tracking.ETOOMANY, "Too many failed sign-ins.")
		}
		return tx.Exec("INSERT INTO sign_in_failures (name_key, addr, at) VALUES (?, ?, ?)",
			a.NameKey, a.Addr, a.At.UTC()).Error
	})
	return translate(err, "sign-in")
}

// ForgiveSignIn forgets the name's failures from the address and every
// failure older than before.
func (db *DB) ForgiveSignIn(ctx context.Context, a tracking.SignInAttempt, before time.Time) error {
	err := db.gorm.WithContext(ctx).Exec("DELETE FROM sign_in_failures WHERE (name_key = ? AND addr = ?) OR at < ?",
		a.NameKey, a.Addr, before.UTC()).Error
	return translate(err, "sign-in")
}

// ClearSignInFailures forgets the name's failures from every address.
func (db *DB) ClearSignInFailures(ctx context.Context, nameKey string) error {
	return translate(clearSignInFailures(db.gorm.WithContext(ctx), nameKey), "sign-in")
}

func clearSignInFailures(tx *gorm.DB, nameKey string) error {
	return tx.Exec("DELETE FROM sign_in_failures WHERE name_key = ?", nameKey).Error
}

// FindSignInLocks returns the names with at least limit failures from one
// address since the time, and from how many addresses.
func (db *DB) FindSignInLocks(ctx context.Context, since time.Time, limit int) (map[string]int, error) {
	var rows []struct {
		NameKey   string
		Addresses int
	}
	err := db.gorm.WithContext(ctx).Raw(`SELECT name_key, count(*) AS addresses FROM (
			SELECT name_key, addr FROM sign_in_failures WHERE at >= ?
			GROUP BY name_key, addr HAVING count(*) >= ?) locked
		GROUP BY name_key`, since.UTC(), limit).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "sign-in")
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.NameKey] = r.Addresses
	}
	return out, nil
}
