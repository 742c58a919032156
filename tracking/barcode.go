package tracking

import (
	"fmt"
	"strconv"
	"strings"
)

// Generated barcodes are a kind letter, a zero-padded serial number and one
// Verhoeff check digit, e.g. "V00001234" + "7". Only 0-9 and A-Z are used,
// so they survive keyboard-layout mismatches on wedge scanners; the digit run
// packs densely in Code 128 (code set C); and Verhoeff's dihedral-group check
// catches every single wrong character and every swap of two adjacent
// characters, including the check digit itself, so a misread never moves the
// wrong folder. The kind letter takes part in the check.
const (
	// VolumePrefix starts every generated casenote volume barcode.
	VolumePrefix = 'V'
	// LocationPrefix starts every generated location barcode.
	LocationPrefix = 'L'

	volumeDigits   = 8
	locationDigits = 5
)

// VolumeBarcode returns the generated barcode of the volume with the serial.
func VolumeBarcode(serial int64) string { return makeBarcode(VolumePrefix, volumeDigits, serial) }

// LocationBarcode returns the generated barcode of the location with the serial.
func LocationBarcode(serial int64) string {
	return makeBarcode(LocationPrefix, locationDigits, serial)
}

func makeBarcode(prefix byte, width int, serial int64) string {
	body := fmt.Sprintf("%c%0*d", prefix, width, serial)
	return body + string(rune('0'+verhoeffCheck(body)))
}

// ParseBarcode recognises a generated barcode (upper or lower case). ok is
// false when s does not have the shape of one; err is set when it has the
// shape but its check character is wrong, i.e. it was misread.
func ParseBarcode(s string) (kind CodeKind, serial int64, ok bool, err error) {
	s = strings.ToUpper(s)
	var width int
	switch {
	case len(s) > 0 && s[0] == VolumePrefix:
		kind, width = CodeVolume, volumeDigits
	case len(s) > 0 && s[0] == LocationPrefix:
		kind, width = CodeLocation, locationDigits
	default:
		return "", 0, false, nil
	}
	if len(s) != width+2 || !allDigits(s[1:]) {
		return "", 0, false, nil
	}
	if !verhoeffValid(s) {
		return kind, 0, true, Errorf(EINVALID, "Barcode %s failed its check character: it was misread, scan it again.", s)
	}
	serial, _ = strconv.ParseInt(s[1:width+1], 10, 64)
	return kind, serial, true, nil
}

// The Verhoeff scheme: multiplication in the dihedral group D5, a position
// permutation, and the group inverse.
var (
	verhoeffD = [10][10]byte{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		{1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
		{2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
		{3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
		{4, 0, 1, 2, 3, 9, 5, 6, 7, 8},
		{5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
		{6, 5, 9, 8, 7, 1, 0, 4, 3, 2},
		{7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
		{8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
		{9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
	}
	verhoeffP   = [10]byte{1, 5, 7, 6, 2, 8, 3, 0, 9, 4}
	verhoeffInv = [10]byte{0, 4, 3, 2, 1, 5, 6, 7, 8, 9}
)

// verhoeffSum runs the Verhoeff checksum over s from its last character,
// treating the kind letter as a digit of its own (V=1, L=2) and starting the
// positions at first.
func verhoeffSum(s string, first int) byte {
	var c byte
	for i, pos := len(s)-1, first; i >= 0; i, pos = i-1, pos+1 {
		c = verhoeffD[c][verhoeffPerm(pos, digitOf(s[i]))]
	}
	return c
}

func verhoeffPerm(pos int, d byte) byte {
	for range pos % 8 {
		d = verhoeffP[d]
	}
	return d
}

func digitOf(c byte) byte {
	switch c {
	case VolumePrefix:
		return 1
	case LocationPrefix:
		return 2
	}
	return c - '0'
}

// verhoeffCheck returns the check digit to append to body.
func verhoeffCheck(body string) int { return int(verhoeffInv[verhoeffSum(body, 1)]) }

// verhoeffValid reports whether s ends in the right check digit.
func verhoeffValid(s string) bool { return verhoeffSum(s, 0) == 0 }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// maxLegacyLen is the longest legacy barcode kept: longer ones no longer fit
// a label with bars wide enough to scan.
const maxLegacyLen = 40

// ValidateLegacyBarcode checks a barcode from a legacy system before it is
// stored as it is: printable ASCII that Code 128 can carry, and never the
// shape of a generated barcode, NHS number or GLN, whose meaning is fixed.
func ValidateLegacyBarcode(field, s string) error {
	if len(s) == 0 || len(s) > maxLegacyLen {
		return FieldError(field, "A legacy barcode must be 1 to %d characters.", maxLegacyLen)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return FieldError(field, "A legacy barcode may contain only printable ASCII characters without spaces.")
		}
	}
	if _, _, ok, _ := ParseBarcode(s); ok || ValidNHSNumber(s) {
		return FieldError(field, "%s has the shape of a casetrack barcode or an NHS number; it cannot be a legacy barcode.", s)
	}
	return nil
}
