package tracking

import "strings"

// CodeKind says what a scanned barcode stands for.
type CodeKind string

// The kinds of code a scan can carry. CodeOther is a code of no known shape:
// it may still be a legacy barcode stored on a volume or location.
const (
	CodeVolume    CodeKind = "volume"
	CodeLocation  CodeKind = "location"
	CodeNHSNumber CodeKind = "nhs_number"
	CodeGLN       CodeKind = "gln"  // GS1 global location number, AI 414
	CodeGIAI      CodeKind = "giai" // GS1 individual asset identifier, AI 8004
	CodeOther     CodeKind = "other"
)

// Code is what a scanner's raw text means once cleaned up: its kind and the
// canonical value to look up (a barcode, ten NHS digits, a GLN...).
type Code struct {
	Kind  CodeKind
	Value string
	// Symbology is the AIM symbology identifier the scanner sent ("]C0"), if any.
	Symbology string
}

// CodeParser turns a scanner's raw text into a Code. An error with code
// EINVALID means the text is a misread and the scan is rejected. Package
// scanner provides the real one; tracking only depends on its shape.
type CodeParser func(raw string) (Code, error)

func normalizeCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
