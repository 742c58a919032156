package scanner

import (
	"strings"
	"unicode/utf8"

	"github.com/casetrack/casetrack/tracking"
)

// Limits on scanned text. No barcode casetrack deals with comes near them;
// anything longer is a stuck key, a pasted document or an attack.
const (
	maxRawBytes = 1024 // before cleaning
	maxCodeLen  = 200  // characters after cleaning
)

// Parse turns the raw text a scanner sent into the code it stands for. It
// satisfies tracking.CodeParser. Junk around the code (line ends, Tab,
// control characters, a BOM) is dropped; an AIM symbology identifier is kept
// in Code.Symbology; GS1 element strings give a GLN (AI 414) or a GIAI (AI
// 8004); generated volume and location barcodes and valid NHS numbers are
// recognised; anything else printable is CodeOther, for tracking to match
// against legacy barcodes.
//
// The error is a *tracking.Error with code EINVALID when the scan must be
// rejected: empty, too long, or a check character that shows a misread.
// For a misread the Code is still filled in (kind and value as read), so the
// rejected scan can be kept for review.
func Parse(raw string) (tracking.Code, error) {
	if len(raw) > maxRawBytes {
		return tracking.Code{}, errTooLong()
	}
	sym, s := splitAIM(clean(raw))
	s = strings.TrimSpace(s)
	if strings.Trim(s, "\x1d ") == "" {
		return tracking.Code{Symbology: sym}, tracking.Errorf(tracking.EINVALID, "Empty scan: nothing was read, scan again.")
	}
	if utf8.RuneCountInString(s) > maxCodeLen {
		return tracking.Code{}, errTooLong()
	}
	if code, ok, err := parseGS1(s, sym); ok {
		return code, err
	}
	s = strings.Trim(s, "\x1d ")
	if kind, _, ok, err := tracking.ParseBarcode(s); ok {
		return tracking.Code{Kind: kind, Value: strings.ToUpper(s), Symbology: sym}, err
	}
	if nhs, ok := nhsNumber(s); ok {
		return tracking.Code{Kind: tracking.CodeNHSNumber, Value: nhs, Symbology: sym}, nil
	}
	return tracking.Code{Kind: tracking.CodeOther, Value: s, Symbology: sym}, nil
}

func errTooLong() error {
	return tracking.Errorf(tracking.EINVALID, "Scan is longer than %d characters: it is not a barcode casetrack knows.", maxCodeLen)
}

// parseGS1 reads s as a GS1 element string when it is marked as one (a GS1
// AIM identifier, a leading FNC1/GS, a GS separator, or the parenthesised
// human-readable form). Unmarked text is taken as GS1 only when it is a GLN
// with a valid check digit, so legacy numeric barcodes keep their meaning.
// ok is false when s is not GS1; err is set when it is but fails a check.
func parseGS1(s, sym string) (code tracking.Code, ok bool, err error) {
	var elems []element
	marked := aimIsGS1(sym) || strings.IndexByte(s, groupSeparator) >= 0
	if s[0] == '(' {
		marked = true
		elems, ok = parseParenthesised(s)
	} else {
		elems, ok = parseElementString(strings.TrimLeft(s, "\x1d"))
	}
	if !ok {
		return tracking.Code{}, false, nil
	}
	code, err = gs1Code(elems, sym)
	if !marked && (err != nil || code.Kind != tracking.CodeGLN) {
		return tracking.Code{}, false, nil
	}
	if gln, ok := trailingGLN(s); ok && marked && code.Kind == tracking.CodeOther {
		return tracking.Code{Kind: tracking.CodeGLN, Value: gln, Symbology: sym}, true, nil
	}
	return code, true, err
}

// trailingGLN finds a GLN element (AI 414, 13 digits, valid check digit)
// at the end of s: where a wedge dropped the GS that ended a variable-length
// field before it, the GLN is swallowed into that field, but still ends
// the string.
func trailingGLN(s string) (string, bool) {
	const n = len(aiGLN) + 13
	if len(s) <= n || s[len(s)-n:len(s)-13] != aiGLN {
		return "", false
	}
	gln := s[len(s)-13:]
	return gln, allDigits(gln) && validGS1Check(gln)
}

// nhsNumber returns the ten digits of s when s is an NHS number with a valid
// Modulus 11 check digit, written plain, 3 3 4 with spaces or with hyphens.
// Ten digits that fail the check are not an error: a legacy barcode may be
// ten digits too.
func nhsNumber(s string) (string, bool) {
	if len(s) < 10 || len(s) > 12 || !isDigit(s[0]) || !isDigit(s[len(s)-1]) {
		return "", false
	}
	digits := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
	return digits, tracking.ValidNHSNumber(digits)
}
