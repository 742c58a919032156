package tracking

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// TemporaryDue is how long a temporary folder may stand in for a missing
// one before it is listed as an exception (SAFETY H12): long enough for
// a search to finish, short enough that nobody forgets it.
const TemporaryDue = 28 * 24 * time.Hour

// Temporary is what a temporary folder stands in for: the original's
// barcode (empty when none was named), the day it is due to be
// amalgamated, and, once it has been, the volume it went into.
type Temporary struct {
	OriginalID int64
	Original   string
	Due        Date
	IntoID     int64
	Into       string
	// Change is the status history entry written with it.
	Change StatusChange
}

// TemporaryStore is the part of Store that keeps temporary folders.
type TemporaryStore interface {
	// CreateTemporaryVolume stores a new temporary volume as CreateVolume
	// does, with what it stands in for and its first status entry.
	CreateTemporaryVolume(ctx context.Context, v *Volume, t Temporary) error
	// FindTemporary returns what a temporary (or amalgamated) volume
	// stands in for; ENOTFOUND when it has no record of it.
	FindTemporary(ctx context.Context, volumeID int64) (*Temporary, error)
	// AmalgamateVolume records that the temporary volume went into the
	// other, as long as both still have the statuses they were read with
	// (else ECONFLICT): its status, its link and the history entry.
	AmalgamateVolume(ctx context.Context, from, into *Volume, change StatusChange) error
}

// createVolume stores a new volume of the patient, whose other volumes
// are vols: a temporary folder with its link, else a plain volume.
func (s *Service) createVolume(ctx context.Context, a Actor, v *Volume, in VolumeInput, vols []*Volume) error {
	if !in.Temporary {
		if in.Original != "" || in.Due != "" {
			return FieldError("temporary", "original and due are for temporary folders: send \"temporary\": true.")
		}
		return s.Store.CreateVolume(ctx, v)
	}
	t, err := s.temporaryFor(in, vols)
	if err != nil {
		return err
	}
	v.Status = StatusTemporary
	t.Change = StatusChange{Status: StatusTemporary, Note: temporaryNote(t), By: a.Name, At: TimestampOf(s.now())}
	if err := s.Store.CreateTemporaryVolume(ctx, v, t); err != nil {
		return err
	}
	v.Original, v.Due, v.StatusHistory = t.Original, &t.Due, []*StatusChange{&t.Change}
	return nil
}

// temporaryFor checks what a temporary folder is to stand in for: the
// original must be the same patient's, and missing (a temporary folder is
// made only after a search), and the due date a day to come.
func (s *Service) temporaryFor(in VolumeInput, vols []*Volume) (Temporary, error) {
	t := Temporary{Due: DateOf(s.now().Add(TemporaryDue))}
	if in.Due != "" {
		d, err := ParseDate(strings.TrimSpace(in.Due))
		if err != nil || d.Before(s.today().Time) {
			return t, FieldError("due", "due must be a date from today on, written YYYY-MM-DD (got %q).", in.Due)
		}
		t.Due = d
	}
	if in.Original == "" {
		return t, nil
	}
	for _, o := range vols {
		if o.Barcode == normalizeCode(in.Original) || o.LegacyCode != "" && o.LegacyCode == strings.TrimSpace(in.Original) {
			if o.Status != StatusMissing {
				return t, FieldError("original", "Volume %s is %s, not missing: mark it missing, with where it was searched, before making a temporary folder for it.", o.Barcode, o.Status)
			}
			t.OriginalID, t.Original = o.ID, o.Barcode
			return t, nil
		}
	}
	return t, FieldError("original", "%s is not a volume of this patient.", in.Original)
}

func temporaryNote(t Temporary) string {
	if t.Original == "" {
		return fmt.Sprintf("Temporary folder, due to be amalgamated by %s.", t.Due.Label())
	}
	return fmt.Sprintf("Temporary folder while %s is missing, due to be amalgamated by %s.", t.Original, t.Due.Label())
}

// Amalgamate closes a temporary folder into the original once it has
// turned up: the temporary folder's status becomes amalgamated (final),
// and a later scan of it is refused with the volume it went into named,
// so its label comes off.
func (s *Service) Amalgamate(ctx context.Context, a Actor, barcode, into string) (*Volume, error) {
	from, err := s.Store.FindVolumeByBarcode(ctx, normalizeCode(barcode))
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(into) == "" {
		return nil, FieldError("into", "Say which volume the temporary folder goes into: \"into\" is its barcode.")
	}
	to, err := s.Store.FindVolumeByBarcode(ctx, strings.TrimSpace(into))
	if err != nil {
		return nil, notFoundAsInvalid(err, "into", "No volume has the barcode %s.", into)
	}
	if err := CheckAmalgamation(from, to); err != nil {
		return nil, err
	}
	change := StatusChange{Status: StatusAmalgamated, From: from.Status, By: a.Name, At: TimestampOf(s.now()),
		Note: fmt.Sprintf("Amalgamated into %s (volume %d).", to.Barcode, to.Number)}
	if err := s.Store.AmalgamateVolume(ctx, from, to, change); err != nil {
		return nil, err
	}
	from.Status = StatusAmalgamated
	if err := s.withRecord(ctx, a, from); err != nil {
		return nil, err
	}
	return from, s.audit(ctx, a, "amalgamate_volume", from.Barcode+" into "+to.Barcode, from.PatientID)
}

// CheckAmalgamation reports whether a temporary folder may go into the
// volume: it must be temporary, and the other a different volume of the
// same patient that is not temporary, amalgamated or destroyed.
func CheckAmalgamation(from, into *Volume) error {
	switch {
	case from.Status != StatusTemporary:
		return FieldError("barcode", "Volume %s is %s: only a temporary folder is amalgamated.", from.Barcode, from.Status)
	case into.ID == from.ID:
		return FieldError("into", "A folder cannot be amalgamated into itself.")
	case into.PatientID != from.PatientID:
		return FieldError("into", "Volume %s belongs to another patient.", into.Barcode)
	case into.Status == StatusTemporary || into.Status == StatusAmalgamated || into.Status == StatusDestroyed:
		return FieldError("into", "Volume %s is %s: amalgamate into the original folder.", into.Barcode, into.Status)
	}
	return nil
}

// unmovableMessage is what a scan of a volume no scan may move answers:
// for an amalgamated folder, the volume its papers went into.
func (s *Service) unmovableMessage(ctx context.Context, v *Volume) (string, error) {
	if v.Status != StatusAmalgamated {
		return "This volume is recorded as destroyed; nothing was moved. Tell the records manager.", nil
	}
	t, err := s.Store.FindTemporary(ctx, v.ID)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return "", err
	}
	if t == nil || t.Into == "" {
		return "This temporary folder was amalgamated into the original; nothing was moved. Take its label off.", nil
	}
	v.AmalgamatedInto = t.Into
	return fmt.Sprintf("This temporary folder was amalgamated into %s; nothing was moved. Put anything in it into %s and take its label off.", t.Into, t.Into), nil
}
