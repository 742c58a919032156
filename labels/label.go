package labels

import (
	"fmt"
	"strings"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// Kind says what a label is stuck on, which decides what it shows.
type Kind int

const (
	// KindVolume labels a casenote folder: patient identity, volume n of m
	// and the volume's barcode.
	KindVolume Kind = iota
	// KindLocation labels a place (ward, shelf, clinic...) so porters can
	// scan where they are before scanning the notes they drop off.
	KindLocation
)

// Symbology is the barcode type. Volumes always use Code 128, which every
// handheld scanner reads; locations may use a 2D code for camera scanning.
type Symbology int

const (
	// Code128 is the default: read by laser, imager and camera alike.
	Code128 Symbology = iota
	// QR is easiest for phone cameras and webcams to find in a busy frame.
	QR
	// DataMatrix is the smallest square code for a given text.
	DataMatrix
)

// String names the symbology as people write it, for messages.
func (s Symbology) String() string {
	switch s {
	case Code128:
		return "Code 128"
	case QR:
		return "QR"
	case DataMatrix:
		return "Data Matrix"
	}
	return fmt.Sprintf("Symbology(%d)", int(s))
}

// maxBarcodeLen bounds the barcode text: longer codes no longer fit a
// label with bars wide enough to scan.
const maxBarcodeLen = 40

// Label is the content of one label. The zero value of an optional field
// means "not known" and is left off the label.
type Label struct {
	Kind Kind
	// Barcode is the text encoded, e.g. "V000012342" or "L000072". Legacy
	// barcodes may be any printable ASCII that Code 128 can carry.
	Barcode string

	// Volume labels.
	FamilyName, GivenName string
	BirthDate             time.Time // zero: unknown
	NHSNumber             string    // 10 digits, or ""
	HospitalNumber        string
	// VolumeNumber of VolumeCount; 0 leaves "Vol n of m" off.
	VolumeNumber, VolumeCount int
	// Temporary marks a folder made while the original is missing, and
	// SameNameAlert a patient who shares a name with another: both print
	// as an inverted banner so nobody files or reads them by mistake.
	Temporary, SameNameAlert bool

	// Location labels.
	LocationName, LocationKind, LocationCode string
	// Symbology of the barcode; only location labels may use QR or
	// Data Matrix.
	Symbology Symbology
}

// Validate reports, as a tracking EINVALID error, what would make the
// label unprintable or unscannable. Long or odd names are not errors:
// they are cleaned and fitted when the label is drawn.
func (l Label) Validate() error {
	if l.Kind != KindVolume && l.Kind != KindLocation {
		return tracking.FieldError("kind", "Unknown label kind %d.", int(l.Kind))
	}
	if err := validBarcode(l.Barcode); err != nil {
		return err
	}
	if l.Symbology < Code128 || l.Symbology > DataMatrix {
		return tracking.FieldError("symbology", "Unknown barcode symbology %d.", int(l.Symbology))
	}
	if l.Kind == KindVolume && l.Symbology != Code128 {
		return tracking.FieldError("symbology", "Volume labels use Code 128.")
	}
	if l.VolumeNumber < 0 || l.VolumeCount < 0 || (l.VolumeCount > 0 && l.VolumeNumber > l.VolumeCount) {
		return tracking.FieldError("volume", "Volume %d of %d is not possible.", l.VolumeNumber, l.VolumeCount)
	}
	return nil
}

// validBarcode accepts printable ASCII only: it is what Code 128 carries
// without extended modes and what a keyboard-wedge scanner types back
// unchanged.
func validBarcode(s string) error {
	if s == "" {
		return tracking.FieldError("barcode", "The barcode is empty.")
	}
	if len(s) > maxBarcodeLen {
		return tracking.FieldError("barcode", "The barcode is longer than %d characters.", maxBarcodeLen)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return tracking.FieldError("barcode", "The barcode may hold printable ASCII characters only.")
		}
	}
	return nil
}

// patientName is the wristband form: FAMILY NAME in capitals, then the
// given name as written.
func (l Label) patientName() string {
	family := strings.ToUpper(clean(l.FamilyName))
	given := clean(l.GivenName)
	switch {
	case family == "":
		return given
	case given == "":
		return family
	}
	return family + ", " + given
}

// birthLine is "DOB 24-Dec-1931", the unambiguous form used on wristbands
// (no day/month order to get wrong).
func (l Label) birthLine() string {
	if l.BirthDate.IsZero() {
		return ""
	}
	return "DOB " + l.BirthDate.Format("02-Jan-2006")
}

// nhsLine is "NHS No. 943 476 5919", grouped 3 3 4 as on NHS documents.
func (l Label) nhsLine() string {
	n := clean(l.NHSNumber)
	if n == "" {
		return ""
	}
	return "NHS No. " + tracking.FormatNHSNumber(n)
}

// volumeLine is "Vol 2 of 3", or "Vol 2" when the count is unknown.
func (l Label) volumeLine() string {
	switch {
	case l.VolumeNumber == 0:
		return ""
	case l.VolumeCount == 0:
		return fmt.Sprintf("Vol %d", l.VolumeNumber)
	}
	return fmt.Sprintf("Vol %d of %d", l.VolumeNumber, l.VolumeCount)
}

// alertLine is the text of the inverted banner, or "" for none.
func (l Label) alertLine() string {
	var parts []string
	if l.Temporary {
		parts = append(parts, "TEMPORARY VOLUME")
	}
	if l.SameNameAlert {
		parts = append(parts, "SAME NAME ALERT")
	}
	return strings.Join(parts, " \u00b7 ")
}

// terminalDigits splits a hospital number so its terminal-digit pair (the
// last two digits, the shelf section in terminal-digit filing) can be
// emphasised: "RX1607458" -> "RX16074", "58". Numbers with fewer than two
// digits have no pair.
func terminalDigits(hosp string) (head, pair string) {
	seen := 0
	for i := len(hosp) - 1; i >= 0; i-- {
		if hosp[i] >= '0' && hosp[i] <= '9' {
			seen++
			if seen == 2 {
				return hosp[:i], hosp[i:]
			}
		}
	}
	return hosp, ""
}
