package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

type tokenRow struct {
	ID        int64
	Name      string
	Role      string
	Hash      string
	CreatedAt time.Time
	RevokedAt *time.Time
}

func (tokenRow) TableName() string { return "tokens" }

// CreateToken stores a token's hash; its name must be new among users'
// and tokens' names, ignoring case (see claimName).
func (db *DB) CreateToken(ctx context.Context, t *tracking.Token) error {
	row := tokenRow{Name: t.Name, Role: string(t.Role), Hash: t.Hash, CreatedAt: t.CreatedAt.UTC()}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := claimName(tx, t.Name, "token"); err != nil {
			return err
		}
		return tx.Create(&row).Error
	})
	if err != nil {
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
	return rows[0].token(), nil
}

func (r tokenRow) token() *tracking.Token {
	t := &tracking.Token{ID: r.ID, Name: r.Name, Role: tracking.Role(r.Role), Hash: r.Hash, CreatedAt: r.CreatedAt.UTC()}
	if r.RevokedAt != nil {
		at := r.RevokedAt.UTC()
		t.RevokedAt = &at
	}
	return t
}

// FindTokens lists every token, revoked ones too, by name.
func (db *DB) FindTokens(ctx context.Context) ([]*tracking.Token, error) {
	var rows []tokenRow
	if err := db.gorm.WithContext(ctx).Order("name").Find(&rows).Error; err != nil {
		return nil, translate(err, "token")
	}
	out := make([]*tracking.Token, len(rows))
	for i, r := range rows {
		out[i] = r.token()
	}
	return out, nil
}

// RevokeToken sets the token's revocation time, unless it has one.
func (db *DB) RevokeToken(ctx context.Context, name string) error {
	g := db.gorm.WithContext(ctx)
	res := g.Model(&tokenRow{}).Where("name = ? AND revoked_at IS NULL", name).Update("revoked_at", g.NowFunc())
	if res.Error != nil {
		return translate(res.Error, "token")
	}
	if res.RowsAffected > 0 {
		return nil
	}
	var n int64
	if err := g.Model(&tokenRow{}).Where("name = ?", name).Count(&n).Error; err != nil {
		return translate(err, "token")
	}
	if n == 0 {
		return tracking.Errorf(tracking.ENOTFOUND, "There is no token named %s.", name)
	}
	return nil
}

// FindDeviceTokenNames lists the names of device-role tokens not revoked.
func (db *DB) FindDeviceTokenNames(ctx context.Context) ([]string, error) {
	var names []string
	err := db.gorm.WithContext(ctx).Model(&tokenRow{}).Where("role = ? AND revoked_at IS NULL", string(tracking.RoleDevice)).
		Pluck("name", &names).Error
	return names, translate(err, "token")
}
