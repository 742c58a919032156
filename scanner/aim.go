package scanner

// An AIM symbology identifier is "]" + a code letter + a modifier character,
// sent by a scanner in front of the data when so configured: "]C0" Code 128,
// "]C1" GS1-128, "]Q1" QR, "]d2" GS1 Data Matrix, "]e0" GS1 DataBar...

// splitAIM returns the AIM symbology identifier at the start of s, if there
// is one, and the data after it.
func splitAIM(s string) (aim, rest string) {
	if len(s) < 3 || s[0] != ']' || !isLetter(s[1]) || !isAlnum(s[2]) {
		return "", s
	}
	return s[:3], s[3:]
}

// aimIsGS1 reports whether the identifier says the data is a GS1 element
// string: FNC1 in first position for Code 128, Data Matrix and QR, or a
// GS1 DataBar / composite symbology.
func aimIsGS1(aim string) bool {
	switch aim {
	case "]C1", "]d2", "]Q3", "]e0", "]e1", "]e2", "]J1":
		return true
	}
	return false
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool  { return isLetter(c) || isDigit(c) }
