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
	news, err := db.settleOpenRequests(tx, survivorID, vols, settling{by: by, at: at, event: "merged", detail: "the patient was merged"})
	if err != nil {
		return nil, err
	}
	return news, notify(db.dialect, tx, news)
}
