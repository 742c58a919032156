package tracking

import (
	"context"
	"slices"
)

// PresentStatuses are the statuses of folders that are where they are
// booked: a missing folder is not at its last place, and destroyed or
// amalgamated ones are no longer anywhere.
var PresentStatuses = []VolumeStatus{StatusActive, StatusClosed, StatusTemporary, StatusArchived}

// ContentsLimit is how many folders a location's page lists; the counts
// always cover everything.
const ContentsLimit = 500

// VolumeCount is how many volumes of one status are booked to one
// location, as the store counts them.
type VolumeCount struct {
	LocationID int64
	Status     VolumeStatus
	N          int
}

// LocationTally is one location's share of what is at a place: the
// folders at it, and with those in the locations inside it.
type LocationTally struct {
	*Location
	Depth       int
	Here, Total int
}

// LocationContents is what is at a location now, counted with what is in
// the locations inside it (a library's bays and their shelves).
type LocationContents struct {
	Location *Location
	// Total counts the folders here and inside; Tallies gives each
	// location of the subtree with a folder, the location itself first,
	// in tree order.
	Total   int
	Tallies []*LocationTally
	// Volumes lists up to ContentsLimit of them, by location then name.
	Volumes []*Volume
	// Elsewhere counts folders booked here whose status says they are
	// not (missing, destroyed, amalgamated): left out of Total.
	Elsewhere int
}

// ContentsStore is the part of Store that reads what is at a location
// and inside it, each with one recursive query.
type ContentsStore interface {
	// FindLocationTree returns the location and every location inside
	// it, with their parents.
	FindLocationTree(ctx context.Context, id int64) ([]*Location, error)
	// CountVolumesInside counts the volumes booked to the location and to
	// every location inside it, by location and status.
	CountVolumesInside(ctx context.Context, id int64) ([]VolumeCount, error)
	// FindVolumesInside lists up to limit volumes with one of the
	// statuses booked to the location or inside it, by location code,
	// then patient name.
	FindVolumesInside(ctx context.Context, id int64, statuses []VolumeStatus, limit int) ([]*Volume, error)
}

// LocationContents says what is at a location (a code or barcode) now,
// counted with what is in the locations inside it; each patient listed
// is written to the access log.
func (s *Service) LocationContents(ctx context.Context, a Actor, codeOrBarcode string) (*LocationContents, error) {
	l, err := s.FindLocation(ctx, codeOrBarcode)
	if err != nil {
		return nil, err
	}
	if err := checkSensitiveContents(l, a.Role); err != nil {
		return nil, err
	}
	tree, err := s.Store.FindLocationTree(ctx, l.ID)
	if err != nil {
		return nil, err
	}
	counts, err := s.Store.CountVolumesInside(ctx, l.ID)
	if err != nil {
		return nil, err
	}
	lc := TallyContents(l, tree, counts)
	if lc.Volumes, err = s.Store.FindVolumesInside(ctx, l.ID, PresentStatuses, ContentsLimit); err != nil {
		return nil, err
	}
	// A sensitive place inside this one is not named beside its patients.
	if err := s.maskVolumes(ctx, a, lc.Volumes); err != nil {
		return nil, err
	}
	ids := make([]int64, len(lc.Volumes))
	for i, v := range lc.Volumes {
		ids[i] = v.PatientID
	}
	return lc, s.audit(ctx, a, "list_location", l.Code, ids...)
}

// TallyContents counts what is at root and inside it from the store's
// counts: only folders present count, and each location's total takes in
// its children's.
func TallyContents(root *Location, tree []*Location, counts []VolumeCount) *LocationContents {
	lc := &LocationContents{Location: root}
	here := map[int64]int{}
	for _, c := range counts {
		if slices.Contains(PresentStatuses, c.Status) {
			here[c.LocationID] += c.N
			lc.Total += c.N
		} else {
			lc.Elsewhere += c.N
		}
	}
	var walk func(n *LocationNode, depth int) int
	walk = func(n *LocationNode, depth int) int {
		t := &LocationTally{Location: n.Location, Depth: depth, Here: here[n.ID], Total: here[n.ID]}
		at := len(lc.Tallies)
		lc.Tallies = append(lc.Tallies, t)
		for _, k := range n.Children {
			t.Total += walk(k, depth+1)
		}
		if t.Total == 0 && depth > 0 {
			lc.Tallies = slices.Delete(lc.Tallies, at, at+1)
		}
		return t.Total
	}
	for _, n := range LocationTree(tree) {
		if n.ID == root.ID {
			walk(n, 0)
		}
	}
	if len(lc.Tallies) == 0 {
		lc.Tallies = []*LocationTally{{Location: root}}
	}
	return lc
}
