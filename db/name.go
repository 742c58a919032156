package db

import (
	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// claimName takes a user's or token's name in the one namespace both
// share (tracking.NameKey): a name already held, by a user or a token, in
// any case, is ECONFLICT. It runs in the transaction that makes the user
// or token, so a failed claim makes nothing.
func claimName(tx *gorm.DB, name, kind string) error {
	err := tx.Exec("INSERT INTO account_names (name_key, kind, name) VALUES (?, ?, ?)",
		tracking.NameKey(name), kind, name).Error
	if err != nil {
		return translateName(err, name)
	}
	return nil
}

// translateName words a clash of names for the person who chose it.
func translateName(err error, name string) error {
	if tracking.ErrorCode(translate(err, "name")) == tracking.ECONFLICT {
		return tracking.Errorf(tracking.ECONFLICT,
			"The name %s is taken: every user and token needs a name of its own, whatever its capitals.", name)
	}
	return err
}
