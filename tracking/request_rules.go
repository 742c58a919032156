package tracking

import (
	"cmp"
	"slices"
	"time"
)

// RequestState is a request as the rules weigh it: where it wants the
// notes, by when, which volumes it names and which have arrived. The store
// reads it, with the patient's volumes, under lock whenever a write may
// change it (a scan, a new request, an appointment moved), and writes what
// the rules decide.
type RequestState struct {
	ID         int64
	PatientID  int64
	LocationID int64
	Location   *Location
	NeededBy   time.Time
	Priority   Priority
	// Whole requests want every active, temporary or missing volume of
	// the patient, including volumes made after the request.
	Whole bool
	Items []RequestItem
}

// RequestItem is a volume a request names, or one that has arrived (at
// ArrivedAt; zero while it has not).
type RequestItem struct {
	VolumeID  int64
	Named     bool
	ArrivedAt time.Time
}

// Arrived reports whether the item's volume has arrived.
func (it RequestItem) Arrived() bool { return !it.ArrivedAt.IsZero() }

// HeldVolume is a patient's volume as a request's rules need it.
type HeldVolume struct {
	ID        int64
	PatientID int64
	Status    VolumeStatus
	CurrentID int64
}

// Wants reports whether a request wants a volume of its patient. A whole
// request wants the folders in use (active, temporary, missing), not
// closed, archived or destroyed ones; a named volume is wanted while it
// can still travel.
func (r *RequestState) Wants(v HeldVolume) bool {
	if v.PatientID != r.PatientID {
		return false
	}
	if r.Whole {
		return v.Status == StatusActive || v.Status == StatusTemporary || v.Status == StatusMissing
	}
	i := r.item(v.ID)
	return i != nil && i.Named && slices.Contains(namedWantable, v.Status)
}

// namedWantable are the statuses of a volume someone may ask for by its
// barcode: an older closed volume or an archived one may be wanted, a
// destroyed (or amalgamated) one never arrives.
var namedWantable = []VolumeStatus{StatusActive, StatusClosed, StatusTemporary, StatusMissing, StatusArchived}

func (r *RequestState) item(volumeID int64) *RequestItem {
	for i := range r.Items {
		if r.Items[i].VolumeID == volumeID {
			return &r.Items[i]
		}
	}
	return nil
}

// Arrived reports whether the volume has arrived at the request's place.
// An arrival counts even if the volume leaves again.
func (r *RequestState) Arrived(volumeID int64) bool {
	i := r.item(volumeID)
	return i != nil && i.Arrived()
}

// arrive records a volume's arrival at a time.
func (r *RequestState) arrive(volumeID int64, at time.Time) {
	if i := r.item(volumeID); i != nil {
		i.ArrivedAt = at
		return
	}
	r.Items = append(r.Items, RequestItem{VolumeID: volumeID, ArrivedAt: at})
}

// Wanted lists the volumes among vols the request wants.
func (r *RequestState) Wanted(vols []HeldVolume) []HeldVolume {
	var out []HeldVolume
	for _, v := range vols {
		if r.Wants(v) {
			out = append(out, v)
		}
	}
	return out
}

// Complete reports whether every volume the request wants has arrived. A
// request that wants no volume (a patient with no notes yet) is never
// complete: the library must make up a folder.
func (r *RequestState) Complete(vols []HeldVolume) bool {
	wanted := r.Wanted(vols)
	for _, v := range wanted {
		if !r.Arrived(v.ID) {
			return false
		}
	}
	return len(wanted) > 0
}

// Settle counts as arrived every wanted volume already at the request's
// place (a new request, or one moved to another clinic), and reports the
// volumes it counted and whether the request is then complete.
func (r *RequestState) Settle(vols []HeldVolume, at time.Time) (arrived []int64, complete bool) {
	for _, v := range r.Wanted(vols) {
		if v.CurrentID == r.LocationID && !r.Arrived(v.ID) {
			r.arrive(v.ID, at)
			arrived = append(arrived, v.ID)
		}
	}
	return arrived, r.Complete(vols)
}

// Forget clears every arrival, for a request moved to another place: what
// arrived at the old one is not at the new one.
func (r *RequestState) Forget() {
	items := r.Items[:0]
	for _, it := range r.Items {
		if it.Named {
			it.ArrivedAt = time.Time{}
			items = append(items, it)
		}
	}
	r.Items = items
}

// byNeed orders open requests as the library works them: the earliest
// need first, urgent before routine at equal times, the newest first
// after that.
func byNeed(aNeed, bNeed time.Time, aPri, bPri Priority, aID, bID int64) int {
	return cmp.Or(aNeed.Compare(bNeed), cmp.Compare(aPri.rank(), bPri.rank()), cmp.Compare(bID, aID))
}

// rank puts urgent requests ahead of routine ones.
func (p Priority) rank() int {
	if p == PriorityUrgent {
		return 0
	}
	return 1
}
