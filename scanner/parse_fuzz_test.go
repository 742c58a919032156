package scanner

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/casetrack/casetrack/tracking"
)

// FuzzParse checks that no input makes Parse panic and that what it accepts
// is something tracking can store and look up. Seeds are in testdata/fuzz.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		tracking.VolumeBarcode(1234) + "\r\n", "]C0" + tracking.LocationBarcode(7),
		"]C14145412345000013", "(414)5412345000013(254)1", "]d28004AB\x1d2541",
		"943 476 5919", "\ufeff]Q1v000000011\t", "CAF\xc9", "]C1\x1d\x1d",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := Parse(raw)
		if err != nil {
			if tracking.ErrorCode(err) != tracking.EINVALID {
				t.Fatalf("Parse(%q) error %v is not EINVALID", raw, err)
			}
			return
		}
		checkCode(t, raw, c)
	})
}

func checkCode(t *testing.T, raw string, c tracking.Code) {
	t.Helper()
	if c.Value == "" || !utf8.ValidString(c.Value) || utf8.RuneCountInString(c.Value) > maxCodeLen {
		t.Fatalf("Parse(%q) value %q: empty, invalid UTF-8 or too long", raw, c.Value)
	}
	if strings.IndexFunc(c.Value, func(r rune) bool { return unicode.IsControl(r) && r != groupSeparator }) >= 0 {
		t.Fatalf("Parse(%q) value %q holds control characters", raw, c.Value)
	}
	switch c.Kind {
	case tracking.CodeVolume, tracking.CodeLocation:
		kind, _, ok, err := tracking.ParseBarcode(c.Value)
		if !ok || err != nil || kind != c.Kind {
			t.Fatalf("Parse(%q) gave %+v that does not re-parse: %v %v", raw, c, ok, err)
		}
	case tracking.CodeNHSNumber:
		if !tracking.ValidNHSNumber(c.Value) {
			t.Fatalf("Parse(%q) gave invalid NHS number %q", raw, c.Value)
		}
	case tracking.CodeGLN:
		if len(c.Value) != 13 || !allDigits(c.Value) || !validGS1Check(c.Value) {
			t.Fatalf("Parse(%q) gave invalid GLN %q", raw, c.Value)
		}
	case tracking.CodeGIAI, tracking.CodeOther:
	default:
		t.Fatalf("Parse(%q) gave unknown kind %q", raw, c.Kind)
	}
	reparsable := c.Kind == tracking.CodeVolume || c.Kind == tracking.CodeLocation || c.Kind == tracking.CodeNHSNumber
	if again, err := Parse(c.Value); reparsable && (err != nil || again != (tracking.Code{Kind: c.Kind, Value: c.Value})) {
		t.Fatalf("Parse(%q) = %+v, but its value re-parses as %+v, %v", raw, c, again, err)
	}
}
