package db

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

type feedRow struct {
	ID          int64
	ReceivedAt  time.Time
	Remote      string
	Sender      string
	Facility    string
	ControlID   string
	MessageType string
	Status      string
	Applied     bool
	RepeatOf    *int64
	Code        int
	Location    string
	Reason      string
	PatientID   *int64
	Raw         string
	ACK         string `gorm:"column:ack"`
}

func (feedRow) TableName() string { return "feed_messages" }

func (r *feedRow) message() *tracking.FeedMessage {
	return &tracking.FeedMessage{ID: r.ID, ReceivedAt: r.ReceivedAt.UTC(), Remote: r.Remote, Sender: r.Sender,
		Facility: r.Facility, ControlID: r.ControlID, Type: r.MessageType, Status: r.Status, Applied: r.Applied,
		RepeatOf: derefID(r.RepeatOf), Code: r.Code, Where: r.Location, Reason: r.Reason, PatientID: derefID(r.PatientID),
		Raw: r.Raw, ACK: r.ACK}
}

// insertFeed stores a message and sets its id.
func (db *DB) insertFeed(tx *gorm.DB, m *tracking.FeedMessage) error {
	return db.queryRow(tx, `INSERT INTO feed_messages (received_at, remote, sender, facility, control_id, message_type, status,
		applied, repeat_of, code, location, reason, patient_id, raw, ack) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.ReceivedAt.UTC(), m.Remote, m.Sender, m.Facility, m.ControlID, m.Type, m.Status, m.Applied, nullableID(m.RepeatOf),
		m.Code, m.Where, m.Reason, nullableID(m.PatientID), m.Raw, m.ACK).Scan(&m.ID)
}

// RecordFeedMessage keeps a message and applies it, once per control id,
// in one transaction: the changes, then the message, claiming its control
// id (the unique index holds the applied one). A copy of a message applied
// before finds the claim taken; its changes are undone and it is kept as
// a repeat, as is a copy whose changes the rules now refuse (what it
// carried was applied when it first came). Checking for the claim last
// rather than first saves a message a round trip to the database.
func (db *DB) RecordFeedMessage(ctx context.Context, m *tracking.FeedMessage, apply func(tracking.PatientTx) error) error {
	for attempt := 1; ; attempt++ {
		m.Applied, m.RepeatOf = true, 0
		err := db.tx(ctx, func(tx *gorm.DB) error {
			if err := apply(&patientTx{db: db, tx: tx}); err != nil {
				return err
			}
			return db.claimFeed(tx, m)
		})
		again := retryable(err) || duplicateKey(err)
		if err != nil && !again {
			repeat, rerr := db.keepRepeat(ctx, m)
			if rerr != nil || repeat {
				return rerr
			}
			again = errors.Is(err, errClaimed)
		}
		if err == nil || attempt == 3 || !again {
			return translate(err, "patient with this hospital number or NHS number")
		}
	}
}

// errClaimed is a message whose control id another copy has claimed.
var errClaimed = errors.New("feed message applied already")

// claimFeed stores an applied message, unless one with its control id
// was applied already (errClaimed).
func (db *DB) claimFeed(tx *gorm.DB, m *tracking.FeedMessage) error {
	err := db.queryRow(tx, `INSERT INTO feed_messages (received_at, remote, sender, facility, control_id, message_type, status,
		applied, repeat_of, code, location, reason, patient_id, raw, ack) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (sender, facility, control_id) WHERE applied DO NOTHING RETURNING id`,
		m.ReceivedAt.UTC(), m.Remote, m.Sender, m.Facility, m.ControlID, m.Type, m.Status, true, nil,
		m.Code, m.Where, m.Reason, nullableID(m.PatientID), m.Raw, m.ACK).Scan(&m.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return errClaimed
	}
	return err
}

// keepRepeat keeps m as a repeat of the message with its control id that
// was applied, if there is one, naming that one's patient.
func (db *DB) keepRepeat(ctx context.Context, m *tracking.FeedMessage) (bool, error) {
	g := db.gorm.WithContext(ctx)
	first, patient, err := db.appliedBefore(g, m)
	if err != nil || first == 0 {
		return false, translate(err, "feed message")
	}
	m.Applied, m.RepeatOf, m.PatientID = false, first, patient
	return true, translate(db.insertFeed(g, m), "feed message")
}

// duplicateKey reports whether the database refused a row for a key
// another transaction stored meanwhile (not a refusal of the rules).
func duplicateKey(err error) bool {
	var te *tracking.Error
	if err == nil || errors.As(err, &te) {
		return false
	}
	return tracking.ErrorCode(translate(err, "")) == tracking.ECONFLICT
}

// appliedBefore returns the id and patient of the message with m's
// control id that was applied, or zeros.
func (db *DB) appliedBefore(tx *gorm.DB, m *tracking.FeedMessage) (id, patientID int64, err error) {
	var patient *int64
	err = db.queryRow(tx, "SELECT id, patient_id FROM feed_messages WHERE sender = ? AND facility = ? AND control_id = ? AND applied",
		m.Sender, m.Facility, m.ControlID).Scan(&id, &patient)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return id, derefID(patient), err
}

// KeepFeedMessage keeps a message that changed nothing.
func (db *DB) KeepFeedMessage(ctx context.Context, m *tracking.FeedMessage) error {
	m.Applied, m.RepeatOf = false, 0
	return translate(db.insertFeed(db.gorm.WithContext(ctx), m), "feed message")
}

// FindFeedMessages returns messages newest first.
func (db *DB) FindFeedMessages(ctx context.Context, f tracking.FeedFilter) ([]*tracking.FeedMessage, error) {
	where, args := conditions(
		condition{f.ID != 0, "id = ?", f.ID},
		condition{f.Status != "", "status = ?", f.Status},
		condition{f.Before != 0, "id < ?", f.Before})
	q := db.gorm.WithContext(ctx).Order("id DESC").Limit(f.Limit)
	if where != "" {
		q = q.Where(where, args...)
	}
	var rows []feedRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, translate(err, "feed message")
	}
	out := make([]*tracking.FeedMessage, len(rows))
	for i := range rows {
		out[i] = rows[i].message()
	}
	return out, nil
}
