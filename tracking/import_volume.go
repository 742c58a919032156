package tracking

import (
	"context"
	"time"
)

// VolumeLine is one casenote volume of a volumes file, checked by the
// volume rules. The volume is matched by HospitalNumber and Number.
type VolumeLine struct {
	Line           int
	HospitalNumber string // upper case
	Number         int
	// LegacyBarcode is the barcode already on the folder, kept exactly as
	// written; empty means none given: a new volume gets a generated
	// barcode and a stored one keeps any legacy barcode it has.
	LegacyBarcode string
	// Status is empty when the file leaves it empty: active for a new
	// volume, unchanged for a stored one.
	Status VolumeStatus
	// Home and Location are location codes, upper case; empty, a new
	// volume's home is the first library and its location its home, and
	// a stored volume keeps its own.
	Home, Location string
}

// VolumeBatch is a run of lines of a volumes file on its way to the
// store, which reads the patients and volumes they name, has Decide say
// what each line does, and writes New (giving each its id and generated
// barcode) and Changed.
type VolumeBatch struct {
	Lines  []VolumeLine
	DryRun bool
	// New are the volumes to create; Changed the stored volumes with
	// their new status, barcode, home and location. Set by Decide.
	New, Changed []*Volume
	Counts       ImportCounts

	places *placeIndex
	now    time.Time
}

// HospitalNumbers are the hospital numbers whose patients Decide needs.
func (b *VolumeBatch) HospitalNumbers() []string {
	return keysOf(b.Lines, func(l *VolumeLine) string { return l.HospitalNumber })
}

// LegacyBarcodes are the legacy barcodes whose volumes Decide needs.
func (b *VolumeBatch) LegacyBarcodes() []string {
	return keysOf(b.Lines, func(l *VolumeLine) string { return l.LegacyBarcode })
}

type volumeKey struct {
	patientID int64
	number    int
}

// volumeLookup is what a batch's lines are decided against.
type volumeLookup struct {
	patients map[string]*Patient
	byKey    map[volumeKey]*Volume
	byLegacy map[string]*Volume
}

// Decide says what each line does, given the stored patients (merged or
// not) with the batch's hospital numbers, every volume of those patients,
// and every volume with one of the batch's legacy barcodes.
func (b *VolumeBatch) Decide(patients []*Patient, volumes []*Volume) {
	lk := volumeLookup{patients: make(map[string]*Patient, len(patients)),
		byKey: make(map[volumeKey]*Volume, len(volumes)), byLegacy: map[string]*Volume{}}
	for _, p := range patients {
		lk.patients[p.HospitalNumber] = p
	}
	for _, v := range volumes {
		lk.byKey[volumeKey{v.PatientID, v.Number}] = v
		if v.LegacyCode != "" {
			lk.byLegacy[v.LegacyCode] = v
		}
	}
	b.New, b.Changed, b.Counts = b.New[:0], b.Changed[:0], ImportCounts{}
	for i := range b.Lines {
		o, v, err := b.decideLine(&lk, &b.Lines[i])
		b.Counts.add(o, b.Lines[i].Line, columnError(err, volumeColumns))
		switch {
		case err != nil:
		case o == lineNew:
			b.New = append(b.New, v)
		case o == lineUpdated:
			b.Changed = append(b.Changed, v)
		}
	}
}

// volumeColumns names a volumes file's columns by the fields of the rules.
var volumeColumns = map[string]string{"legacy_barcode": "barcode"}

// decideLine decides one line: a new volume, or the stored one with what
// the line gives.
func (b *VolumeBatch) decideLine(lk *volumeLookup, l *VolumeLine) (lineOutcome, *Volume, error) {
	p := lk.patients[l.HospitalNumber]
	switch {
	case p == nil:
		return 0, nil, FieldError("hospital_number", "No patient has the hospital number %s: import the patients first.", l.HospitalNumber)
	case p.MergedIntoID != 0:
		return 0, nil, FieldError("hospital_number", "Patient %s has been merged into another record, which holds its volumes now.", l.HospitalNumber)
	}
	stored := lk.byKey[volumeKey{p.ID, l.Number}]
	if err := b.checkBarcode(lk, l.LegacyBarcode, stored); err != nil {
		return 0, nil, err
	}
	home, err := b.places.code("home", l.Home)
	if err != nil {
		return 0, nil, err
	}
	at, err := b.places.code("location", l.Location)
	if err != nil {
		return 0, nil, err
	}
	if stored == nil {
		v, err := b.newVolume(p, l, home, at)
		if err == nil && v.LegacyCode != "" {
			lk.byLegacy[v.LegacyCode] = v
		}
		return lineNew, v, err
	}
	return b.changeVolume(lk, stored, l, home, at)
}

// checkBarcode refuses a legacy barcode that another volume or a location
// answers to: a scan of it must mean one folder only.
func (b *VolumeBatch) checkBarcode(lk *volumeLookup, barcode string, stored *Volume) error {
	if barcode == "" {
		return nil
	}
	if other := lk.byLegacy[barcode]; other != nil && other != stored {
		return FieldError("barcode", "Barcode %s is already on another casenote volume.", barcode)
	}
	if l := b.places.named(barcode); l != nil {
		return FieldError("barcode", "%s already names location %s: a scan of it must mean one thing only.", barcode, l.Code)
	}
	return nil
}

// newVolume is a line's new volume: active, at home in the first library,
// unless the line says otherwise. Its position is where it starts, not a
// movement: no scan put it there.
func (b *VolumeBatch) newVolume(p *Patient, l *VolumeLine, home, at *Location) (*Volume, error) {
	if home == nil {
		if home = b.places.library; home == nil {
			return nil, FieldError("home", "No library location exists yet: import the locations first, or give a home.")
		}
	}
	if at == nil {
		at = home
	}
	v := &Volume{PatientID: p.ID, Number: l.Number, Status: StatusActive, HomeID: home.ID, CurrentID: at.ID,
		Since: TimestampOf(b.now), CreatedAt: b.now, LegacyCode: l.LegacyBarcode}
	if l.Status != "" {
		v.Status = l.Status
	}
	return v, nil
}

// changeVolume is a stored volume with what the line gives. The line's
// location is where the folder was before casetrack: once a scan has
// booked it, the scans say where it is and the line's location is not
// applied. A destroyed volume stays destroyed.
func (b *VolumeBatch) changeVolume(lk *volumeLookup, stored *Volume, l *VolumeLine, home, at *Location) (lineOutcome, *Volume, error) {
	next := *stored
	if l.Status != "" {
		if stored.Status == StatusDestroyed && l.Status != StatusDestroyed {
			return 0, nil, FieldError("status", "This volume is recorded as destroyed; its status cannot change.")
		}
		// Destroying a folder casetrack holds goes past its review date,
		// legal holds and the second person (SAFETY.md H09): it is
		// recorded on /lookup or by PATCH, never by a file.
		if l.Status == StatusDestroyed && stored.Status != StatusDestroyed {
			return 0, nil, FieldError("status", "An import does not destroy a volume casetrack holds: record its destruction on Find notes, where review dates and legal holds are checked.")
		}
		next.Status = l.Status
	}
	next.LegacyCode = firstOf(l.LegacyBarcode, stored.LegacyCode)
	if home != nil {
		next.HomeID = home.ID
	}
	if at != nil && stored.LastScanAt == nil && at.ID != stored.CurrentID {
		next.CurrentID, next.Since = at.ID, TimestampOf(b.now)
	}
	if next.Status == stored.Status && next.LegacyCode == stored.LegacyCode && next.HomeID == stored.HomeID && next.CurrentID == stored.CurrentID {
		return lineUnchanged, nil, nil
	}
	if next.LegacyCode != stored.LegacyCode {
		delete(lk.byLegacy, stored.LegacyCode)
		lk.byLegacy[next.LegacyCode] = &next
	}
	return lineUpdated, &next, nil
}

// Volumes imports a batch of lines of a volumes file.
func (im *Import) Volumes(ctx context.Context, lines []VolumeLine) (ImportCounts, error) {
	if err := im.loadPlaces(ctx); err != nil {
		return ImportCounts{}, err
	}
	return write(ctx, lines, func(l VolumeLine) int { return l.Line }, func(ls []VolumeLine) (ImportCounts, error) {
		b := &VolumeBatch{Lines: ls, DryRun: im.dryRun, places: im.places, now: im.s.now()}
		err := im.s.Store.ImportVolumes(ctx, b)
		return b.Counts, err
	})
}

// loadPlaces reads every location once for the volumes of a run: a trust
// has thousands, not millions.
func (im *Import) loadPlaces(ctx context.Context) error {
	if im.places != nil {
		return nil
	}
	locs, err := im.s.Store.FindLocations(ctx, LocationFilter{})
	if err != nil {
		return err
	}
	im.places = newPlaceIndex(append(locs, im.earlier...))
	return nil
}
