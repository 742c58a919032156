package scanner

import (
	"strings"

	"github.com/casetrack/casetrack/tracking"
)

// GS1 application identifiers casetrack acts on (NHS Scan4Safety): places
// carry a GLN in AI 414, assets a GIAI in AI 8004.
const (
	aiGLN  = "414"
	aiGIAI = "8004"

	maxGIAI = 30
)

// element is one GS1 application identifier and its data.
type element struct {
	AI, Data string
}

// aiLength returns how many digits the AI starting with the two digits p has,
// from the GS1 General Specifications' AI tables; 0 for an unknown prefix.
func aiLength(p string) int {
	switch {
	case p >= "00" && p <= "22", p == "30", p == "37", p >= "90" && p <= "99":
		return 2
	case p >= "23" && p <= "25", p >= "40" && p <= "42":
		return 3
	case p >= "31" && p <= "36", p == "39", p == "43",
		p >= "70" && p <= "72", p >= "80" && p <= "82":
		return 4
	}
	return 0
}

// fixedLength is the data length of AIs whose length is predefined, so they
// are never followed by a separator; 0 means variable (ended by GS).
func fixedLength(ai string) int {
	switch p := ai[:2]; {
	case p == "00":
		return 18
	case p >= "01" && p <= "03":
		return 14
	case p == "04":
		return 16
	case p >= "11" && p <= "19":
		return 6
	case p == "20":
		return 2
	case p >= "31" && p <= "36":
		return 6
	case p == "41":
		return 13
	}
	return 0
}

// parseElementString splits a GS1 element string (GS separated, leading FNC1
// already removed) into its elements; ok is false when it is not one.
func parseElementString(s string) (elems []element, ok bool) {
	for s != "" {
		if s[0] == groupSeparator {
			s = s[1:]
			continue
		}
		var e element
		e, s, ok = nextElement(s)
		if !ok {
			return nil, false
		}
		elems = append(elems, e)
	}
	return elems, len(elems) > 0
}

func nextElement(s string) (element, string, bool) {
	if len(s) < 2 {
		return element{}, s, false
	}
	n := aiLength(s[:2])
	if n == 0 || len(s) <= n || !allDigits(s[:n]) {
		return element{}, s, false
	}
	ai, s := s[:n], s[n:]
	if fixed := fixedLength(ai); fixed > 0 {
		if len(s) < fixed {
			return element{}, s, false
		}
		return element{ai, s[:fixed]}, s[fixed:], true
	}
	end := strings.IndexByte(s, groupSeparator)
	if end < 0 {
		end = len(s)
	}
	if end == 0 {
		return element{}, s, false
	}
	return element{ai, s[:end]}, s[end:], true
}

// parseParenthesised reads the human-readable form "(414)5012345000013(254)7"
// printed under GS1 barcodes and typed by people.
func parseParenthesised(s string) (elems []element, ok bool) {
	for s != "" {
		if s[0] != '(' {
			return nil, false
		}
		end := strings.IndexByte(s, ')')
		if end < 3 || end > 5 || !allDigits(s[1:end]) {
			return nil, false
		}
		ai := s[1:end]
		s = s[end+1:]
		next := strings.IndexByte(s, '(')
		if next < 0 {
			next = len(s)
		}
		data := strings.TrimSpace(s[:next])
		if data == "" {
			return nil, false
		}
		elems = append(elems, element{ai, data})
		s = s[next:]
	}
	return elems, len(elems) > 0
}

// gs1Code turns parsed elements into a Code: a GLN when there is an AI 414,
// a GIAI when there is an AI 8004, and otherwise the elements in their
// human-readable form, for tracking to match as a legacy code.
func gs1Code(elems []element, sym string) (tracking.Code, error) {
	for _, e := range elems {
		if e.AI == aiGLN {
			return glnCode(e.Data, sym)
		}
	}
	for _, e := range elems {
		if e.AI == aiGIAI {
			return giaiCode(e.Data, sym)
		}
	}
	var b strings.Builder
	for _, e := range elems {
		b.WriteString("(" + e.AI + ")" + e.Data)
	}
	return tracking.Code{Kind: tracking.CodeOther, Value: b.String(), Symbology: sym}, nil
}

func glnCode(gln, sym string) (tracking.Code, error) {
	code := tracking.Code{Kind: tracking.CodeGLN, Value: gln, Symbology: sym}
	if len(gln) != 13 || !allDigits(gln) {
		return code, tracking.Errorf(tracking.EINVALID, "GLN %q must be 13 digits: scan it again.", gln)
	}
	if !validGS1Check(gln) {
		return code, tracking.Errorf(tracking.EINVALID, "GLN %s failed its check digit: it was misread, scan it again.", gln)
	}
	return code, nil
}

func giaiCode(giai, sym string) (tracking.Code, error) {
	code := tracking.Code{Kind: tracking.CodeGIAI, Value: giai, Symbology: sym}
	if len(giai) > maxGIAI {
		return code, tracking.Errorf(tracking.EINVALID, "Asset identifier (GIAI) is longer than %d characters: scan it again.", maxGIAI)
	}
	for i := 0; i < len(giai); i++ {
		if giai[i] <= ' ' || giai[i] > '~' {
			return code, tracking.Errorf(tracking.EINVALID, "Asset identifier (GIAI) holds a character GS1 does not allow: scan it again.")
		}
	}
	return code, nil
}

// validGS1Check reports whether the last digit of s is the GS1 mod-10 check
// digit of the others: weights 3 and 1 alternating from the right.
func validGS1Check(s string) bool {
	sum := 0
	for i := len(s) - 2; i >= 0; i-- {
		d := int(s[i] - '0')
		if (len(s)-2-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return (10-sum%10)%10 == int(s[len(s)-1]-'0')
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}
