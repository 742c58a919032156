package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

type userRow struct {
	ID           int64
	Name         string
	Role         string
	PasswordHash string
	CreatedAt    time.Time
	Disabled     bool
}

func (userRow) TableName() string { return "users" }

type tokenRow struct {
	ID        int64
	Name      string
	Role      string
	Hash      string
	CreatedAt time.Time
	RevokedAt *time.Time
}

func (tokenRow) TableName() string { return "tokens" }

// CreateUser stores a user; names are unique.
func (db *DB) CreateUser(ctx context.Context, u *tracking.User) error {
	row := userRow{Name: u.Name, Role: string(u.Role), PasswordHash: u.PasswordHash, CreatedAt: u.CreatedAt.UTC()}
	if err := db.gorm.WithContext(ctx).Create(&row).Error; err != nil {
		return translate(err, "user named "+u.Name)
	}
	u.ID = row.ID
	return nil
}

// FindUserByName finds an enabled user.
func (db *DB) FindUserByName(ctx context.Context, name string) (*tracking.User, error) {
	var rows []userRow
	if err := db.gorm.WithContext(ctx).Where("name = ? AND NOT disabled", name).Limit(1).Find(&rows).Error; err != nil {
		return nil, translate(err, "user")
	}
	if len(rows) == 0 {
		return nil, tracking.Errorf(tracking.ENOTFOUND, "No such user.")
	}
	r := rows[0]
	return &tracking.User{ID: r.ID, Name: r.Name, Role: tracking.Role(r.Role), PasswordHash: r.PasswordHash, CreatedAt: r.CreatedAt}, nil
}

// CreateToken stores a token's hash; names are unique.
func (db *DB) CreateToken(ctx context.Context, t *tracking.Token) error {
	row := tokenRow{Name: t.Name, Role: string(t.Role), Hash: t.Hash, CreatedAt: t.CreatedAt.UTC()}
	if err := db.gorm.WithContext(ctx).Create(&row).Error; err != nil {
		return translate(err, "token named "+t.Name)
	}
	t.ID = row.ID
	return nil
}

// FindTokenByHash finds a token that has not been revoked.
func (db *DB) FindTokenByHash(ctx context.Context, hash string) (*tracking.Token, error) {
	var rows []tokenRow
	if err := db.gorm.WithContext(ctx).Where("hash = ? AND revoked_at IS NULL", hash).Limit(1).Find(&rows).Error; err != nil {
		return nil, translate(err, "token")
	}
	if len(rows) == 0 {
		return nil, tracking.Errorf(tracking.EUNAUTHORIZED, "The token is not valid.")
	}
	r := rows[0]
	return &tracking.Token{ID: r.ID, Name: r.Name, Role: tracking.Role(r.Role), Hash: r.Hash, CreatedAt: r.CreatedAt}, nil
}
