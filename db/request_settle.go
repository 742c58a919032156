package db

import (
	"context"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// settling says why open requests are settled again, for their history:
// a merge writes its line on every request it touches; a change of a
// volume's status writes only what it changed (arrivals, fulfilment).
type settling struct {
	by     string
	at     time.Time
	event  string // "merged"; "" for none of its own
	detail string
}

// settleOpenRequests settles every open request of the patient again
// against its volumes as they now are (vols, locked with the patient):
// a wanted volume already at the place counts as arrived, and a request
// whose wanted volumes have all arrived is fulfilled (one that wants a
// destroyed, closed or amalgamated volume no longer waits for it). It
// writes what changed and returns the news, which the caller hands to
// PostgreSQL in the transaction (notify) and announces once it commits.
func (db *DB) settleOpenRequests(tx runner, patientID int64, vols []tracking.HeldVolume, why settling) ([]tracking.RequestChange, error) {
	type openRequest struct {
		ID, LocationID int64
		Whole          bool
		Code           string
	}
	open, err := queryAll(tx, func(scan scanFunc) (r openRequest, err error) {
		return r, scan(&r.ID, &r.LocationID, &r.Whole, &r.Code)
	}, `SELECT r.id, r.location_id, r.whole, l.code FROM requests r JOIN locations l ON l.id = r.location_id
		WHERE r.patient_id = ? AND r.status = 'open' ORDER BY r.id`+db.forUpdateOf("r"), patientID)
	if err != nil {
		return nil, err
	}
	var news []tracking.RequestChange
	for _, r := range open {
		items, err := db.requestItemsTx(tx, r.ID)
		if err != nil {
			return nil, err
		}
		st := &tracking.RequestState{ID: r.ID, PatientID: patientID, LocationID: r.LocationID, Whole: r.Whole, Items: items}
		arrived, complete := st.Settle(vols, why.at)
		event := settledEvent(why, arrived, complete)
		if event == "" {
			continue
		}
		if err := resettled(tx, r.ID, st, arrived, complete, why); err != nil {
			return nil, err
		}
		news = append(news, tracking.RequestChange{Request: r.ID, Event: event, Location: r.Code})
	}
	return news, nil
}

// settledEvent is the news of a request settled again, "" when nothing
// changed that a page shows.
func settledEvent(why settling, arrived []int64, complete bool) string {
	switch {
	case complete:
		return "fulfilled"
	case why.event != "":
		return "moved"
	case len(arrived) > 0:
		return "arrived"
	}
	return ""
}

// resettled writes a request settled again: its new arrivals and, when
// complete, its fulfilment, with their history.
func resettled(tx runner, id int64, st *tracking.RequestState, arrived []int64, complete bool, why settling) error {
	if err := writeItems(tx, id, st.Items); err != nil {
		return err
	}
	var events []requestEvent
	if why.event != "" {
		events = append(events, requestEvent{id, why.at, why.event, why.by, 0, why.detail})
	}
	for _, v := range arrived {
		events = append(events, requestEvent{id, why.at, "arrived", why.by, v, "already there"})
	}
	if complete {
		err := tx.exec("UPDATE requests SET status = ?, fulfilled_at = ? WHERE id = ?", string(tracking.RequestFulfilled), why.at.UTC(), id)
		if err != nil {
			return err
		}
		events = append(events, requestEvent{id, why.at, "fulfilled", why.by, 0, ""})
	}
	return writeEvents(tx, events)
}

// statusTx runs a change to the statuses of a patient's volumes in one
// transaction, in the order every writer of requests locks (the patient,
// its volumes, then its requests), and then settles the patient's open
// requests again: a volume no longer wanted may leave one complete. The
// news goes to watchers once the transaction commits.
func (db *DB) statusTx(ctx context.Context, patientID int64, by string, at time.Time, change func(tx *gorm.DB) error) error {
	var news []tracking.RequestChange
	err := db.tx(ctx, func(tx *gorm.DB) error {
		r := db.runner(tx)
		if _, err := db.lockPatient(r, patientID); err != nil {
			return err
		}
		if err := change(tx); err != nil {
			return err
		}
		vols, err := heldVolumes(r, "SELECT id, patient_id, status, current_location_id FROM volumes WHERE patient_id = ? ORDER BY id", patientID)
		if err != nil {
			return err
		}
		if news, err = db.settleOpenRequests(r, patientID, vols, settling{by: by, at: at}); err != nil {
			return err
		}
		return notify(db.dialect, r, news)
	})
	if err == nil {
		db.announce(news)
	}
	return err
}

// patientOf reads the patient a volume belongs to, unlocked: statusTx
// locks that patient, and the change checks the volume is still theirs.
func (db *DB) patientOf(ctx context.Context, volumeID int64) (int64, error) {
	var id int64
	found, err := queryOne(db.runner(db.gorm.WithContext(ctx)), "SELECT patient_id FROM volumes WHERE id = ?", []any{&id}, volumeID)
	if err == nil && !found {
		err = tracking.Errorf(tracking.ENOTFOUND, "No such volume.")
	}
	return id, err
}
