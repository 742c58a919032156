package db

import (
	"time"

	"github.com/casetrack/casetrack/tracking"
	"gorm.io/gorm"
)

// MergeRequestsTx is what merging a duplicate patient into a survivor does
// to requests, inside the merge's own transaction (tx), after the
// duplicate's volumes have become the survivor's and with both patients
// locked: the duplicate's open requests follow to the survivor (the
// trigger flags the survivor's volumes), and every open request of the
// survivor is settled again against its volumes as they now are, so one
// whose notes are all at its place is fulfilled. It returns the news for
// the caller to send once the merge commits (see requestTx).
func (db *DB) MergeRequestsTx(tx *gorm.DB, duplicateID, survivorID int64, by string, at time.Time) ([]tracking.RequestChange, error) {
	err := tx.Exec("UPDATE requests SET patient_id = ? WHERE patient_id = ? AND status = 'open'", survivorID, duplicateID).Error
	if err != nil {
		return nil, err
	}
	vols, err := db.lockPatient(tx, survivorID)
	if err != nil {
		return nil, err
	}
	var open []struct {
		ID, LocationID int64
		Whole          bool
		Code           string
	}
	if err := scan(tx.Raw(`SELECT r.id, r.location_id, r.whole, l.code FROM requests r JOIN locations l ON l.id = r.location_id
		WHERE r.patient_id = ? AND r.status = 'open' ORDER BY r.id`, survivorID), &open); err != nil {
		return nil, err
	}
	var news []tracking.RequestChange
	for _, r := range open {
		items, err := db.requestItemsTx(tx, r.ID)
		if err != nil {
			return nil, err
		}
		st := &tracking.RequestState{ID: r.ID, PatientID: survivorID, LocationID: r.LocationID, Whole: r.Whole, Items: items}
		arrived, complete := st.Settle(vols, at)
		if err := resettled(tx, r.ID, st, arrived, complete, by, at); err != nil {
			return nil, err
		}
		news = append(news, tracking.RequestChange{Request: r.ID, Event: "moved", Location: r.Code})
	}
	return news, notify(db.dialect, tx, news)
}

// resettled writes a request settled again: its new arrivals and, when
// complete, its fulfilment, with their history.
func resettled(tx *gorm.DB, id int64, st *tracking.RequestState, arrived []int64, complete bool, by string, at time.Time) error {
	if err := writeItems(tx, id, st.Items); err != nil {
		return err
	}
	events := []requestEvent{{id, at, "merged", by, 0, "the patient was merged"}}
	for _, v := range arrived {
		events = append(events, requestEvent{id, at, "arrived", by, v, "already there"})
	}
	if complete {
		if err := tx.Exec("UPDATE requests SET status = ?, fulfilled_at = ? WHERE id = ?", string(tracking.RequestFulfilled), at.UTC(), id).Error; err != nil {
			return err
		}
		events = append(events, requestEvent{id, at, "fulfilled", by, 0, ""})
	}
	return writeEvents(tx, events)
}
