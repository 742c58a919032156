package tracking

import (
	"slices"
	"time"
)

// A scan meets requests: when it books a volume to a place an open request
// wants it, the volume has arrived there (and the request may be
// fulfilled); when it books one that a request wants somewhere else, its
// answer says where. Both are decided in the transaction that stores the
// scan, from the requests as the store read them under lock, so a scan
// acknowledged never leaves its request open and a repeated scan id never
// fulfils twice (it is not decided again).

// WantedAt is a request that wants the scanned volume somewhere else, as
// the scan's answer shows it to the person holding the folder.
type WantedAt struct {
	Request  int64     `json:"request"`
	Location *Location `json:"location"`
	NeededBy Timestamp `json:"needed_by"`
	Priority Priority  `json:"priority"`
}

// PartArrival is a request the scan brought a volume for while others it
// wants are still to come: "1 of 3 here" (SAFETY.md H11).
type PartArrival struct {
	Request int64 `json:"request"`
	Arrived int   `json:"arrived"`
	Of      int   `json:"of"`
}

// RequestArrival is a volume arriving where a request wants it, to be
// written with the scan.
type RequestArrival struct {
	RequestID, VolumeID int64
	Location            string
	At                  time.Time
	ScanID, By          string
}

// RequestWrites are what a chunk's scans did to requests: arrivals,
// requests fulfilled (each an arrival that completed it), and volumes no
// open request may want any more, whose flag the store may clear.
type RequestWrites struct {
	Arrivals  []RequestArrival
	Fulfilled []RequestArrival
	Clear     []int64
}

// DefaultWantedHorizon is how far ahead a request's need makes a scanned
// volume "wanted" in the answer: a folder needed next month is not sent
// on today.
const DefaultWantedHorizon = 48 * time.Hour

func (s *Service) wantedHorizon() time.Duration {
	if s.WantedHorizon > 0 {
		return s.WantedHorizon
	}
	return DefaultWantedHorizon
}

// requestBook is what a chunk's decision knows of requests: every open
// request of the patients whose volumes it holds flagged, their volumes,
// and what the chunk's scans did to them.
type requestBook struct {
	reqs   []*RequestState // by need
	vols   []HeldVolume
	done   map[int64]bool // fulfilled by the chunk
	writes RequestWrites
}

// HoldRequested says that the store read a volume of the chunk, under
// lock, flagged as possibly wanted by an open request of its patient.
func (d *Decision) HoldRequested(volumeID, patientID int64) {
	if t := d.track(volumeID); t != nil {
		t.requestedBy = patientID
	}
}

// RequestPatients lists, ascending, the patients of the chunk's volumes
// that the store read flagged as possibly wanted: the store locks and reads
// their open requests (after the volumes, in id order) for HoldRequests.
// It is empty for the ordinary scan, which reads no request at all.
func (d *Decision) RequestPatients() []int64 {
	var ids []int64
	for _, t := range d.tracks {
		if t.held && t.requestedBy != 0 {
			ids = append(ids, t.requestedBy)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// HoldRequests gives the open requests of RequestPatients and those
// patients' volumes, as read under lock.
func (d *Decision) HoldRequests(reqs []*RequestState, vols []HeldVolume) {
	reqs = slices.Clone(reqs)
	slices.SortStableFunc(reqs, func(a, b *RequestState) int {
		return byNeed(a.NeededBy, b.NeededBy, a.Priority, b.Priority, b.ID, a.ID)
	})
	d.book = &requestBook{reqs: reqs, vols: vols, done: map[int64]bool{}}
}

// RequestWrites are what the decided scans did to requests.
func (d *Decision) RequestWrites() RequestWrites {
	if d.book == nil {
		return RequestWrites{}
	}
	w := d.book.writes
	w.Clear = nil
	for _, t := range d.tracks {
		if t.held && t.requestedBy != 0 && !d.book.hasOpen(t.requestedBy) {
			w.Clear = append(w.Clear, t.id)
		}
	}
	return w
}

func (b *requestBook) hasOpen(patientID int64) bool {
	return slices.ContainsFunc(b.reqs, func(q *RequestState) bool { return q.PatientID == patientID && !b.done[q.ID] })
}

// volume is the held volume with the id, or the one the record carries.
func (b *requestBook) volume(r *ScanRecord, patientID int64) HeldVolume {
	for _, v := range b.vols {
		if v.ID == r.Volume.ID {
			return v
		}
	}
	return HeldVolume{ID: r.Volume.ID, PatientID: patientID, Status: r.Volume.Status, CurrentID: r.Target.ID}
}

// routeRequests completes the answer of a scan that booked a volume with
// what it means for open requests: requests it fulfils, requests it
// brought part of the notes for, and where else the volume is wanted.
// Only scans answered moved or already_here count.
func (d *Decision) routeRequests(r *ScanRecord, t *volumeTrack) {
	if d.book == nil || t.requestedBy == 0 || r.Result.Result != ResultMoved && r.Result.Result != ResultAlreadyHere {
		return
	}
	b := d.book
	v := b.volume(r, t.requestedBy)
	for _, q := range b.reqs {
		if b.done[q.ID] || !q.Wants(v) || q.Arrived(v.ID) {
			continue
		}
		if q.LocationID != r.Target.ID {
			if !q.NeededBy.After(r.WantedUntil) {
				r.Result.Wanted = append(r.Result.Wanted, WantedAt{Request: q.ID, Location: q.Location,
					NeededBy: TimestampOf(q.NeededBy), Priority: q.Priority})
			}
			continue
		}
		b.arrive(r, q, v)
	}
}

// arrive records the record's volume arriving where q wants it.
func (b *requestBook) arrive(r *ScanRecord, q *RequestState, v HeldVolume) {
	at := r.Scan.ScannedAt.Time
	q.arrive(v.ID, at)
	a := RequestArrival{RequestID: q.ID, VolumeID: v.ID, At: at, ScanID: r.Scan.ScanID, By: r.Scan.By}
	if q.Location != nil {
		a.Location = q.Location.Code
	}
	b.writes.Arrivals = append(b.writes.Arrivals, a)
	if q.Complete(b.vols) {
		b.done[q.ID] = true
		b.writes.Fulfilled = append(b.writes.Fulfilled, a)
		r.Result.Fulfils = append(r.Result.Fulfils, q.ID)
		return
	}
	wanted := q.Wanted(b.vols)
	n := 0
	for _, w := range wanted {
		if q.Arrived(w.ID) {
			n++
		}
	}
	r.Result.PartArrivals = append(r.Result.PartArrivals, PartArrival{Request: q.ID, Arrived: n, Of: len(wanted)})
}
