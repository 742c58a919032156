package db

import (
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// mergeRequests is what merging a duplicate patient into a survivor does
// to requests, inside the merge's own transaction (tx), after the
// duplicate's volumes have become the survivor's and with both patients
// locked (patientTx.Merge calls it): the duplicate's open requests follow to the survivor (the
// trigger flags the survivor's volumes), and every open request of the
// survivor is settled again against its volumes as they now are, so one
// whose notes are all at its place is fulfilled. It hands the news to
// PostgreSQL in the transaction and returns it for the caller to announce
// once the merge commits (see requestTx).
func (db *DB) mergeRequests(tx runner, duplicateID, survivorID int64, by string, at time.Time) ([]tracking.RequestChange, error) {
	err := tx.exec("UPDATE requests SET patient_id = ? WHERE patient_id = ? AND status = 'open'", survivorID, duplicateID)
	if err != nil {
		return nil, err
	}
	vols, err := db.lockPatient(tx, survivorID)
	if err != nil {
		return nil, err
	}
	type openRequest struct {
		ID, LocationID int64
		Whole          bool
		Code           string
	}
	open, err := queryAll(tx, func(scan scanFunc) (r openRequest, err error) {
		return r, scan(&r.ID, &r.LocationID, &r.Whole, &r.Code)
	}, `SELECT r.id, r.location_id, r.whole, l.code FROM requests r JOIN locations l ON l.id = r.location_id
		WHERE r.patient_id = ? AND r.status = 'open' ORDER BY r.id`, survivorID)
	if err != nil {
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
		event := "moved"
		if complete {
			event = "fulfilled"
		}
		news = append(news, tracking.RequestChange{Request: r.ID, Event: event, Location: r.Code})
	}
	return news, notify(db.dialect, tx, news)
}

// resettled writes a request settled again: its new arrivals and, when
// complete, its fulfilment, with their history.
func resettled(tx runner, id int64, st *tracking.RequestState, arrived []int64, complete bool, by string, at time.Time) error {
	if err := writeItems(tx, id, st.Items); err != nil {
		return err
	}
	events := []requestEvent{{id, at, "merged", by, 0, "the patient was merged"}}
	for _, v := range arrived {
		events = append(events, requestEvent{id, at, "arrived", by, v, "already there"})
	}
	if complete {
		if err := tx.exec("UPDATE requests SET status = ?, fulfilled_at = ? WHERE id = ?", string(tracking.RequestFulfilled), at.UTC(), id); err != nil {
			return err
		}
		events = append(events, requestEvent{id, at, "fulfilled", by, 0, ""})
	}
	return writeEvents(tx, events)
}
