package db

import (
	"context"
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

func feedRowOf(m *tracking.FeedMessage) feedRow {
	return feedRow{ReceivedAt: m.ReceivedAt.UTC(), Remote: m.Remote, Sender: m.Sender, Facility: m.Facility,
		ControlID: m.ControlID, MessageType: m.Type, Status: m.Status, Applied: m.Applied, RepeatOf: nullableID(m.RepeatOf),
		Code: m.Code, Location: m.Where, Reason: m.Reason, PatientID: nullableID(m.PatientID), Raw: m.Raw, ACK: m.ACK}
}

func (r *feedRow) message() *tracking.FeedMessage {
	return &tracking.FeedMessage{ID: r.ID, ReceivedAt: r.ReceivedAt.UTC(), Remote: r.Remote, Sender: r.Sender,
		Facility: r.Facility, ControlID: r.ControlID, Type: r.MessageType, Status: r.Status, Applied: r.Applied,
		RepeatOf: derefID(r.RepeatOf), Code: r.Code, Where: r.Location, Reason: r.Reason, PatientID: derefID(r.PatientID),
		Raw: r.Raw, ACK: r.ACK}
}

// insertFeed stores a message and sets its id.
func insertFeed(tx *gorm.DB, m *tracking.FeedMessage) error {
	row := feedRowOf(m)
	if err := tx.Create(&row).Error; err != nil {
		return err
	}
	m.ID = row.ID
	return nil
}

// RecordFeedMessage keeps a message and applies it, once per control id,
// in one transaction. Two copies of one message arriving at once both
// find it new; the unique index lets one be kept as applied, and the
// other is taken again, to find it applied.
func (db *DB) RecordFeedMessage(ctx context.Context, m *tracking.FeedMessage, apply func(tracking.PatientTx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.tx(ctx, func(tx *gorm.DB) error {
			first, err := appliedBefore(tx, m)
			if err != nil {
				return err
			}
			m.Applied, m.RepeatOf = first.ID == 0, first.ID
			if first.ID != 0 {
				m.PatientID = derefID(first.PatientID)
			} else {
				if err := apply(&patientTx{tx: tx, dialect: db.dialect}); err != nil {
					return err
				}
			}
			return insertFeed(tx, m)
		})
		again := retryable(err) || errors.Is(err, gorm.ErrDuplicatedKey)
		if err == nil || attempt == 3 || !again {
			return translate(err, "patient with this hospital number or NHS number")
		}
	}
}

// appliedBefore returns the message with m's control id that was
// applied (its id and patient), or a zero one.
func appliedBefore(tx *gorm.DB, m *tracking.FeedMessage) (feedRow, error) {
	var rows []feedRow
	err := scan(tx.Raw("SELECT id, patient_id FROM feed_messages WHERE sender = ? AND facility = ? AND control_id = ? AND applied",
		m.Sender, m.Facility, m.ControlID), &rows)
	if err != nil || len(rows) == 0 {
		return feedRow{}, err
	}
	return rows[0], nil
}

// KeepFeedMessage keeps a message that changed nothing.
func (db *DB) KeepFeedMessage(ctx context.Context, m *tracking.FeedMessage) error {
	m.Applied, m.RepeatOf = false, 0
	return translate(insertFeed(db.gorm.WithContext(ctx), m), "feed message")
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
