package tracking

import (
	"context"
	"strings"
)

// StatusChange is one entry of a volume's status history: who changed its
// status, when, from what, and why. Marking a volume missing starts its
// search log (the note says where it was searched); a scan that finds it
// again ends it.
type StatusChange struct {
	Status VolumeStatus `json:"status"`
	From   VolumeStatus `json:"from"`
	Note   string       `json:"note"`
	By     string       `json:"by"`
	At     Timestamp    `json:"at"`
}

// StatusStore is the part of Store that keeps volumes' status histories.
type StatusStore interface {
	// FindStatusHistory returns the status history of each volume named,
	// oldest first, by volume id.
	FindStatusHistory(ctx context.Context, volumeIDs []int64) (map[int64][]*StatusChange, error)
}

// maxNoteLen bounds a status note: a sentence or two about a search.
const maxNoteLen = 500

// CheckStatusChange reports whether a volume may go to the status, and
// gives back the note tidied. Destroyed is final; amalgamated is made and
// ended only by amalgamating, never by a status change.
func CheckStatusChange(v *Volume, to VolumeStatus, note string) (string, error) {
	note = strings.TrimSpace(note)
	switch {
	case to == StatusAmalgamated:
		return "", FieldError("status", "A volume becomes amalgamated only by amalgamating a temporary folder into its original.")
	case v.Status == StatusDestroyed && to != StatusDestroyed:
		return "", Errorf(ECONFLICT, "Volume %s is recorded as destroyed; its status cannot change.", v.Barcode)
	case v.Status == StatusAmalgamated:
		return "", Errorf(ECONFLICT, "Volume %s was amalgamated into another volume; its status cannot change.", v.Barcode)
	case len([]rune(note)) > maxNoteLen:
		return "", FieldError("note", "The note must be at most %d characters.", maxNoteLen)
	case !printable(note):
		return "", FieldError("note", "The note may not contain control characters.")
	}
	return note, ValidateVolumeStatus(to)
}

// withRecord adds what a volume shown on its own carries beyond where it
// is: its status history and, for a temporary folder, what it stands in
// for, its due date and what it went into.
func (s *Service) withRecord(ctx context.Context, a Actor, v *Volume) error {
	return s.AddStatusRecords(ctx, a, []*Volume{v})
}

// AddStatusRecords gives each volume its status history and, for a
// temporary (or amalgamated) folder, what it stands in for, its due date
// and what it went into, for pages that show several volumes at once.
func (s *Service) AddStatusRecords(ctx context.Context, a Actor, vols []*Volume) error {
	if len(vols) == 0 {
		return nil
	}
	ids := make([]int64, len(vols))
	for i, v := range vols {
		ids[i] = v.ID
	}
	hist, err := s.Store.FindStatusHistory(ctx, ids)
	if err != nil {
		return err
	}
	kept, err := s.Store.FindRetention(ctx, ids)
	if err != nil {
		return err
	}
	for _, v := range vols {
		v.StatusHistory, v.Retention = hist[v.ID], kept[v.ID].Current(s.now()).ForRole(a.Role)
		if err := s.addTemporary(ctx, v); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) addTemporary(ctx context.Context, v *Volume) error {
	if v.Status != StatusTemporary && v.Status != StatusAmalgamated {
		return nil
	}
	t, err := s.Store.FindTemporary(ctx, v.ID)
	if ErrorCode(err) == ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	v.Original, v.AmalgamatedInto = t.Original, t.Into
	v.Due = &t.Due
	return nil
}
