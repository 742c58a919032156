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

func (r *feedRow) message() *tracking.FeedMessage {
	return &tracking.FeedMessage{ID: r.ID, ReceivedAt: r.ReceivedAt.UTC(), Remote: r.Remote, Sender: r.Sender,
		Facility: r.Facility, ControlID: r.ControlID, Type: r.MessageType, Status: r.Status, Applied: r.Applied,
		RepeatOf: derefID(r.RepeatOf), Code: r.Code, Where: r.Location, Reason: r.Reason, PatientID: derefID(r.PatientID),
		Raw: r.Raw, ACK: r.ACK}
}

// feedInsert stores a message and returns its id; feedArgs are its values.
const feedInsert = `INSERT INTO feed_messages (received_at, remote, sender, facility, control_id, message_type, status,
	applied, repeat_of, code, location, reason, patient_id, raw, ack) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	RETURNING id`

func feedArgs(m *tracking.FeedMessage) []any {
	return []any{m.ReceivedAt.UTC(), m.Remote, m.Sender, m.Facility, m.ControlID, m.Type, m.Status, m.Applied,
		nullableID(m.RepeatOf), m.Code, m.Where, m.Reason, nullableID(m.PatientID), m.Raw, m.ACK}
}

// RecordFeedMessage keeps a message and applies it, once per control id,
// in one transaction: the changes, then the message, which claims its
// control id (the unique index holds the applied one). A copy of a
// message applied before finds the claim taken; its changes are undone
// and it is kept as a repeat, as is a copy whose changes the rules now
// refuse (what it carried was applied when it first came). Checking for
// the claim last rather than first saves a message a round trip.
func (db *DB) RecordFeedMessage(ctx context.Context, m *tracking.FeedMessage, apply func(tracking.PatientTx) error) error {
	for attempt := 1; ; attempt++ {
		m.Applied, m.RepeatOf = true, 0
		err := db.applyFeed(ctx, m, apply)
		if err == nil {
			return nil
		}
		var te *tracking.Error
		if errors.As(err, &te) || duplicateKey(err) {
			if repeat, rerr := db.keepRepeat(ctx, m); rerr != nil || repeat {
				return rerr
			}
		}
		if attempt == 3 || !retryable(err) && !duplicateKey(err) {
			return translate(err, "patient with this hospital number or NHS number")
		}
	}
}

// applyFeed makes a message's changes and keeps it as applied, in one
// transaction: on PostgreSQL a pipeline (its reads with BEGIN, its
// writes with the message and COMMIT), on SQLite the one writer's.
func (db *DB) applyFeed(ctx context.Context, m *tracking.FeedMessage, apply func(tracking.PatientTx) error) error {
	var t *patientTx
	var err error
	if db.dialect == Postgres {
		err = db.withPipe(ctx, func(p *pipeRunner) error {
			t = &patientTx{db: db, run: p}
			if err := apply(t); err != nil {
				return err
			}
			return p.finish(feedInsert, []any{&m.ID}, feedArgs(m)...)
		})
	} else {
		err = db.tx(ctx, func(tx *gorm.DB) error {
			t = &patientTx{db: db, run: db.runner(tx)}
			if err := apply(t); err != nil {
				return err
			}
			_, err := queryOne(t.run, feedInsert, []any{&m.ID}, feedArgs(m)...)
			return err
		})
	}
	if err == nil {
		db.announce(t.news)
	}
	return err
}

// keepRepeat keeps m as a repeat of the message with its control id that
// was applied, if there is one, naming that one's patient.
func (db *DB) keepRepeat(ctx context.Context, m *tracking.FeedMessage) (bool, error) {
	r := db.runner(db.gorm.WithContext(ctx))
	var first int64
	var patient *int64
	found, err := queryOne(r, "SELECT id, patient_id FROM feed_messages WHERE sender = ? AND facility = ? AND control_id = ? AND applied",
		[]any{&first, &patient}, m.Sender, m.Facility, m.ControlID)
	if err != nil || !found {
		return false, translate(err, "feed message")
	}
	m.Applied, m.RepeatOf, m.PatientID = false, first, derefID(patient)
	_, err = queryOne(r, feedInsert, []any{&m.ID}, feedArgs(m)...)
	return true, translate(err, "feed message")
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

// KeepFeedMessage keeps a message that changed nothing.
func (db *DB) KeepFeedMessage(ctx context.Context, m *tracking.FeedMessage) error {
	m.Applied, m.RepeatOf = false, 0
	_, err := queryOne(db.runner(db.gorm.WithContext(ctx)), feedInsert, []any{&m.ID}, feedArgs(m)...)
	return translate(err, "feed message")
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
