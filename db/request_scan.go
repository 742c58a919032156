package db

import (
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// holdRequests reads, for a chunk whose volumes include some flagged as
// possibly wanted, the open requests of their patients and those
// patients' volumes, and hands them to the decision. On PostgreSQL the
// requests are locked in id order after the volumes, so that two chunks
// bringing volumes of one request at once take turns: the second reads
// the first one's arrivals and never leaves the request open.
func (w *chunkWriter) holdRequests() error {
	patients := w.decision.RequestPatients()
	if len(patients) == 0 {
		return nil
	}
	where, arg := inList(w.dialect, "r.patient_id", patients)
	q := `SELECT r.id, r.patient_id, r.location_id, r.needed_by, r.priority, r.whole FROM requests r
		WHERE ` + where + ` AND r.status = 'open' ORDER BY r.id`
	if w.dialect == Postgres {
		q += " FOR UPDATE"
	}
	var rows []struct {
		ID, PatientID, LocationID int64
		NeededBy                  time.Time
		Priority                  string
		Whole                     bool
	}
	if err := scan(w.tx.Raw(q, arg), &rows); err != nil {
		return err
	}
	reqs := make([]*tracking.RequestState, len(rows))
	ids := make([]int64, len(rows))
	for i, r := range rows {
		reqs[i] = &tracking.RequestState{ID: r.ID, PatientID: r.PatientID, LocationID: r.LocationID, NeededBy: r.NeededBy.UTC(),
			Priority: tracking.Priority(r.Priority), Whole: r.Whole}
		ids[i] = r.ID
	}
	if err := w.heldRequestDetails(reqs, ids, patients); err != nil {
		return err
	}
	vw, va := inList(w.dialect, "patient_id", patients)
	vols, err := heldVolumes(w.db.runner(w.tx), "SELECT id, patient_id, status, current_location_id FROM volumes WHERE "+vw+" ORDER BY id", va)
	if err != nil {
		return err
	}
	w.decision.HoldRequests(reqs, vols)
	return nil
}

// heldRequestDetails reads the held requests' locations and items.
func (w *chunkWriter) heldRequestDetails(reqs []*tracking.RequestState, ids, patients []int64) error {
	if len(reqs) == 0 {
		return nil
	}
	for _, r := range reqs {
		l, err := w.Location(r.LocationID)
		if err != nil {
			return err
		}
		r.Location = l
	}
	where, arg := inList(w.dialect, "request_id", ids)
	var items []struct {
		RequestID, VolumeID int64
		Named               bool
		ArrivedAt           *time.Time
	}
	if err := scan(w.tx.Raw("SELECT request_id, volume_id, named, arrived_at FROM request_volumes WHERE "+where, arg), &items); err != nil {
		return err
	}
	byID := make(map[int64]*tracking.RequestState, len(reqs))
	for _, r := range reqs {
		byID[r.ID] = r
	}
	for _, it := range items {
		if r := byID[it.RequestID]; r != nil {
			r.Items = append(r.Items, requestItem(it.VolumeID, it.Named, it.ArrivedAt))
		}
	}
	return nil
}

// writeRequests writes what the chunk's scans did to requests: arrivals,
// fulfilments (each with its history) and the flags no longer needed, and
// tells watchers once the chunk commits.
func (w *chunkWriter) writeRequests() error {
	rw := w.decision.RequestWrites()
	var events []requestEvent
	for _, a := range rw.Arrivals {
		err := w.tx.Exec(`INSERT INTO request_volumes (request_id, volume_id, named, arrived_at) VALUES (?, ?, FALSE, ?)
			ON CONFLICT (request_id, volume_id) DO UPDATE SET arrived_at = excluded.arrived_at`,
			a.RequestID, a.VolumeID, a.At.UTC()).Error
		if err != nil {
			return err
		}
		events = append(events, requestEvent{a.RequestID, a.At, "arrived", a.By, a.VolumeID, "scan " + a.ScanID})
		w.news = append(w.news, tracking.RequestChange{Request: a.RequestID, Event: "arrived", Location: a.Location})
	}
	for _, f := range rw.Fulfilled {
		err := w.tx.Exec("UPDATE requests SET status = ?, fulfilled_at = ? WHERE id = ?",
			string(tracking.RequestFulfilled), f.At.UTC(), f.RequestID).Error
		if err != nil {
			return err
		}
		events = append(events, requestEvent{f.RequestID, f.At, "fulfilled", f.By, 0, "scan " + f.ScanID})
		w.news = append(w.news, tracking.RequestChange{Request: f.RequestID, Event: "fulfilled", Location: f.Location})
	}
	if len(rw.Clear) > 0 {
		where, arg := inList(w.dialect, "id", rw.Clear)
		if err := w.tx.Exec("UPDATE volumes SET requested = FALSE WHERE "+where, arg).Error; err != nil {
			return err
		}
	}
	r := w.db.runner(w.tx)
	if err := writeEvents(r, events); err != nil {
		return err
	}
	return notify(w.dialect, r, w.news)
}
