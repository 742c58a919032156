package tracking

import (
	"context"
	"strings"
	"time"
)

// LocationLine is one location of a locations file, tidied and checked by
// Location.Normalize and Validate: Code, Name, Kind, ParentCode and
// LegacyBarcode (the file's barcode column, kept as written) are set.
type LocationLine struct {
	Line     int
	Location Location
	// ParentLine is the earlier line of the file that has the parent, or
	// 0 when no earlier line has it: the parent must then exist already.
	// A parent on a later line does not count, so writing the lines in
	// file order always finds the parent in place.
	ParentLine int
}

// LocationBatch is a run of lines of a locations file on its way to the
// store, which reads every stored location and the volumes that answer to
// the batch's codes and barcodes, has Decide say what each line does, and
// writes Writes in order.
type LocationBatch struct {
	Lines  []LocationLine
	DryRun bool
	// Writes are the locations to store, in line order: new ones (ID 0)
	// and changed ones. Set by Decide.
	Writes []LocationWrite
	Counts ImportCounts

	// earlier are the locations a dry run decided in its earlier batches,
	// which it did not store.
	earlier []*Location
	now     time.Time
}

// LocationWrite is one location to store. Parent is set when the parent
// is new in the same batch: the store sets ParentID from it once the
// parent has its id.
type LocationWrite struct {
	Location *Location
	Parent   *Location
}

// Names are the codes and barcodes no volume may answer to.
func (b *LocationBatch) Names() []string {
	out := make([]string, 0, 2*len(b.Lines))
	for _, l := range b.Lines {
		out = append(out, l.Location.Code)
		if l.Location.LegacyBarcode != "" {
			out = append(out, l.Location.LegacyBarcode)
		}
	}
	return out
}

// Decide says what each line does, given every stored location and the
// volumes that answer to any of Names.
func (b *LocationBatch) Decide(stored []*Location, volumes []*Volume) {
	x := newPlaceIndex(stored)
	for _, l := range b.earlier {
		x.put(x.byCode[l.Code], l)
	}
	b.Writes, b.Counts = b.Writes[:0], ImportCounts{}
	for _, l := range b.Lines {
		o, w, err := b.decideLine(x, volumes, l)
		if err != nil {
			err = columnError(err, locationColumns)
		}
		b.Counts.add(o, l.Line, err)
		if err == nil && o != lineUnchanged {
			b.Writes = append(b.Writes, w)
		}
	}
}

// locationColumns names a locations file's columns by the fields of Location.
var locationColumns = map[string]string{"legacy_barcode": "barcode", "parent_code": "parent"}

// columnError renames an error's field to the file's column.
func columnError(err error, columns map[string]string) error {
	if e, ok := err.(*Error); ok && columns[e.Field] != "" {
		return &Error{Code: e.Code, Field: columns[e.Field], Message: e.Message}
	}
	return err
}

// decideLine decides one line: a new location, or the stored one with the
// line's name and kind, and its parent and barcode where the line gives
// them (an empty cell keeps what is stored). A code or barcode that a scan
// would take for another location or a volume is refused.
func (b *LocationBatch) decideLine(x *placeIndex, volumes []*Volume, l LocationLine) (lineOutcome, LocationWrite, error) {
	loc := l.Location
	loc.Normalize()
	stored := x.byCode[loc.Code]
	if err := x.checkNames(&loc, stored, volumes); err != nil {
		return 0, LocationWrite{}, err
	}
	parent, err := x.parentOf(&loc, l.ParentLine)
	if err != nil {
		return 0, LocationWrite{}, err
	}
	next := loc
	if stored != nil {
		next = *stored
		next.Name, next.Kind = loc.Name, loc.Kind
		next.ParentCode = firstOf(loc.ParentCode, stored.ParentCode)
		next.LegacyBarcode = firstOf(loc.LegacyBarcode, stored.LegacyBarcode)
		if sameLocation(stored, &next) {
			return lineUnchanged, LocationWrite{}, nil
		}
	} else {
		next.CreatedAt = b.now
	}
	w := LocationWrite{Location: &next}
	if parent != nil && next.ParentCode == parent.Code {
		next.ParentID = parent.ID
		if parent.ID == 0 {
			w.Parent = parent
		}
	}
	x.put(stored, &next)
	if stored == nil {
		return lineNew, w, nil
	}
	return lineUpdated, w, nil
}

func sameLocation(a, b *Location) bool {
	return a.Name == b.Name && a.Kind == b.Kind && a.ParentCode == b.ParentCode && a.LegacyBarcode == b.LegacyBarcode
}

// Locations imports a batch of lines of a locations file.
func (im *Import) Locations(ctx context.Context, lines []LocationLine) (ImportCounts, error) {
	return write(ctx, lines, func(l LocationLine) int { return l.Line }, func(ls []LocationLine) (ImportCounts, error) {
		b := &LocationBatch{Lines: ls, DryRun: im.dryRun, earlier: im.earlier, now: im.s.now()}
		if err := im.s.Store.ImportLocations(ctx, b); err != nil {
			return b.Counts, err
		}
		if im.dryRun {
			for _, w := range b.Writes {
				im.earlier = append(im.earlier, w.Location)
			}
		}
		im.places = nil // read again, with this batch's, when volumes need them
		return b.Counts, nil
	})
}

// placeIndex is every location by what a scan or a file may call it.
type placeIndex struct {
	byCode  map[string]*Location // codes
	byUpper map[string]*Location // generated barcodes, upper case
	byExact map[string]*Location // legacy barcodes and GLNs, as stored
	library *Location            // the first library: the default home
}

func newPlaceIndex(locs []*Location) *placeIndex {
	x := &placeIndex{byCode: make(map[string]*Location, len(locs)), byUpper: make(map[string]*Location, len(locs)),
		byExact: map[string]*Location{}}
	for _, l := range locs {
		x.put(nil, l)
	}
	return x
}

// put indexes l, replacing old (the same location before a change) when
// there is one.
func (x *placeIndex) put(old, l *Location) {
	if old != nil {
		delete(x.byExact, old.LegacyBarcode)
		delete(x.byExact, old.GLN)
	}
	x.byCode[l.Code] = l
	if l.Barcode != "" {
		x.byUpper[l.Barcode] = l
	}
	for _, n := range []string{l.LegacyBarcode, l.GLN} {
		if n != "" {
			x.byExact[n] = l
		}
	}
	if x.library == nil && l.Kind == KindLibrary {
		x.library = l
	}
}

// named is the location a scan or a search of name finds, as
// Service.FindLocation finds it: by code, by barcode, legacy barcode or GLN.
func (x *placeIndex) named(name string) *Location {
	up := strings.ToUpper(strings.TrimSpace(name))
	if l := x.byCode[up]; l != nil {
		return l
	}
	if l := x.byUpper[up]; l != nil {
		return l
	}
	return x.byExact[strings.TrimSpace(name)]
}

// code finds the location a file names by code in a column; nil for an
// empty cell.
func (x *placeIndex) code(column, code string) (*Location, error) {
	if code == "" {
		return nil, nil
	}
	if l := x.byCode[code]; l != nil {
		return l, nil
	}
	return nil, FieldError(column, "Location %s does not exist: import it first, or correct the code.", code)
}

// checkNames refuses a location whose code or barcode a scan would take for
// another location or for a casenote volume.
func (x *placeIndex) checkNames(l, stored *Location, volumes []*Volume) error {
	if other := x.named(l.Code); other != nil && other != stored {
		return FieldError("code", "%s already names location %s: a scan of it must mean one thing only.", l.Code, other.Code)
	}
	if stored == nil && volumeAnswersTo(volumes, l.Code) {
		return FieldError("code", "%s already names a casenote volume: a scan of it must mean one thing only.", l.Code)
	}
	if l.LegacyBarcode == "" || stored != nil && stored.LegacyBarcode == l.LegacyBarcode {
		return nil
	}
	if other := x.named(l.LegacyBarcode); other != nil && other != stored {
		return FieldError("legacy_barcode", "%s already names location %s: a scan of it must mean one thing only.", l.LegacyBarcode, other.Code)
	}
	if volumeAnswersTo(volumes, l.LegacyBarcode) {
		return FieldError("legacy_barcode", "%s already names a casenote volume: a scan of it must mean one thing only.", l.LegacyBarcode)
	}
	return nil
}

// volumeAnswersTo reports whether a scan of name would find one of the
// volumes, as FindVolumeByBarcode matches them.
func volumeAnswersTo(volumes []*Volume, name string) bool {
	for _, v := range volumes {
		if v.Barcode == strings.ToUpper(name) || v.LegacyCode != "" && v.LegacyCode == name {
			return true
		}
	}
	return false
}

// parentOf finds a line's parent, refusing one that does not exist and one
// that would put the location inside itself.
func (x *placeIndex) parentOf(l *Location, parentLine int) (*Location, error) {
	if l.ParentCode == "" {
		return nil, nil
	}
	parent := x.byCode[l.ParentCode]
	switch {
	case parent == nil && parentLine > 0:
		return nil, FieldError("parent_code", "The parent %s, on line %d, was not imported.", l.ParentCode, parentLine)
	case parent == nil:
		return nil, FieldError("parent_code", "Parent location %s does not exist: put it on an earlier line, or correct the code.", l.ParentCode)
	}
	for p, n := parent, 0; p != nil && n <= len(x.byCode); p, n = x.byCode[p.ParentCode], n+1 {
		if p.Code == l.Code {
			return nil, FieldError("parent_code", "%s is inside %s already: a location cannot be inside itself.", l.ParentCode, l.Code)
		}
	}
	return parent, nil
}
