package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
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

// CreateUser stores a user, whose name must be new among users' and
// tokens' names, ignoring case (see claimName).
func (db *DB) CreateUser(ctx context.Context, u *tracking.User) error {
	row := userRow{Name: u.Name, Role: string(u.Role), PasswordHash: u.PasswordHash, CreatedAt: u.CreatedAt.UTC()}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := claimName(tx, u.Name, "user"); err != nil {
			return err
		}
		return tx.Create(&row).Error
	})
	if err != nil {
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
	return rows[0].user(), nil
}

func (r userRow) user() *tracking.User {
	return &tracking.User{ID: r.ID, Name: r.Name, Role: tracking.Role(r.Role), PasswordHash: r.PasswordHash,
		CreatedAt: r.CreatedAt.UTC(), Disabled: r.Disabled}
}

// FindUsers lists every user, disabled ones too, by name.
func (db *DB) FindUsers(ctx context.Context) ([]*tracking.User, error) {
	var rows []userRow
	if err := db.gorm.WithContext(ctx).Order("name").Find(&rows).Error; err != nil {
		return nil, translate(err, "user")
	}
	out := make([]*tracking.User, len(rows))
	for i, r := range rows {
		out[i] = r.user()
	}
	return out, nil
}

// UpdateUser applies a checked change to a user in one transaction. A
// disabled user's sessions are refused anyway; deleting them keeps nothing
// of theirs live.
func (db *DB) UpdateUser(ctx context.Context, name string, u tracking.UserUpdate) (*tracking.User, error) {
	set := map[string]any{}
	if u.Role != nil {
		set["role"] = string(*u.Role)
	}
	if u.Disabled != nil {
		set["disabled"] = *u.Disabled
	}
	if u.PasswordHash != nil {
		set["password_hash"] = *u.PasswordHash
	}
	var rows []userRow
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if len(set) > 0 {
			if err := tx.Model(&userRow{}).Where("name = ?", name).Updates(set).Error; err != nil {
				return err
			}
		}
		if err := tx.Where("name = ?", name).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return tracking.Errorf(tracking.ENOTFOUND, "There is no user named %s.", name)
		}
		if u.ClearSignInFailures {
			if err := clearSignInFailures(tx, tracking.NameKey(name)); err != nil {
				return err
			}
		}
		if u.EndSessions {
			return tx.Exec("DELETE FROM sessions WHERE user_id = ?", rows[0].ID).Error
		}
		return nil
	})
	if err != nil {
		return nil, translate(err, "user")
	}
	return rows[0].user(), nil
}
