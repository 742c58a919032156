package scanner

import (
	"strings"
	"testing"

	"github.com/casetrack/casetrack/tracking"
)

// Real-world scanner output: what wedges, handhelds and docks actually send.
func TestParse(t *testing.T) {
	t.Parallel()
	vol := tracking.VolumeBarcode(1234) // V000012342
	loc := tracking.LocationBarcode(7)  // L000072
	const gln = "5412345000013"         // valid GS1 mod-10 check
	tests := []struct {
		name, raw string
		want      tracking.Code
	}{
		{"VolumeOK", vol, code(tracking.CodeVolume, vol, "")},
		{"VolumeTrailingCRLF", vol + "\r\n", code(tracking.CodeVolume, vol, "")},
		{"VolumeTrailingLF", vol + "\n", code(tracking.CodeVolume, vol, "")},
		{"VolumeTabSuffix", vol + "\t", code(tracking.CodeVolume, vol, "")},
		{"VolumeSurroundingSpaces", "  " + vol + "  ", code(tracking.CodeVolume, vol, "")},
		{"VolumeLowerCase", strings.ToLower(vol), code(tracking.CodeVolume, vol, "")},
		{"VolumeAIMCode128", "]C0" + vol + "\r", code(tracking.CodeVolume, vol, "]C0")},
		{"VolumeAIMQR", "]Q1" + vol, code(tracking.CodeVolume, vol, "]Q1")},
		{"VolumeAIMDataMatrix", "]d1" + vol, code(tracking.CodeVolume, vol, "]d1")},
		{"VolumeBOM", "\ufeff" + vol, code(tracking.CodeVolume, vol, "")},
		{"VolumeNULAndSTXETX", "\x02" + vol + "\x00\x03", code(tracking.CodeVolume, vol, "")},
		{"VolumeZeroWidthSpace", vol + "\u200b", code(tracking.CodeVolume, vol, "")},
		{"VolumeTrailingGS", vol + "\x1d", code(tracking.CodeVolume, vol, "")},
		{"LocationOK", loc, code(tracking.CodeLocation, loc, "")},
		{"LocationLowerCaseAIM", "]C0" + strings.ToLower(loc) + "\r\n", code(tracking.CodeLocation, loc, "]C0")},
		{"NHSNumberPlain", "9434765919", code(tracking.CodeNHSNumber, "9434765919", "")},
		{"NHSNumberSpaced", "943 476 5919\r", code(tracking.CodeNHSNumber, "9434765919", "")},
		{"NHSNumberHyphens", "943-476-5919", code(tracking.CodeNHSNumber, "9434765919", "")},
		{"NHSNumberAIM", "]C09434765919", code(tracking.CodeNHSNumber, "9434765919", "]C0")},
		{"TenDigitsBadMod11IsLegacy", "9434765910", code(tracking.CodeOther, "9434765910", "")},
		{"GLNGS1128", "]C1414" + gln, code(tracking.CodeGLN, gln, "]C1")},
		{"GLNGS1DataMatrix", "]d2414" + gln + "\r\n", code(tracking.CodeGLN, gln, "]d2")},
		{"GLNLeadingFNC1AsGS", "\x1d414" + gln, code(tracking.CodeGLN, gln, "")},
		{"GLNParenthesised", "(414)" + gln, code(tracking.CodeGLN, gln, "")},
		{"GLNParenthesisedWithExtension", "(414)" + gln + "(254)WARD7", code(tracking.CodeGLN, gln, "")},
		{"GLNUnmarked", "414" + gln, code(tracking.CodeGLN, gln, "")},
		{"GLNAfterGTINAndBatch", "]C101050123450000151012AB\x1d414" + gln, code(tracking.CodeGLN, gln, "]C1")},
		{"GLNLiteralGSForm", "]C110LOT9<GS>414" + gln, code(tracking.CodeGLN, gln, "]C1")},
		{"GLNEscapedGSForm", `]C110LOT9\x1d414` + gln, code(tracking.CodeGLN, gln, "]C1")},
		{"GLNCaretGSForm", "]C110LOT9^]414" + gln, code(tracking.CodeGLN, gln, "]C1")},
		{"GLNAfterLotWhoseGSWasDropped", "]C110LOT9414" + gln, code(tracking.CodeGLN, gln, "]C1")},
		{"GIAI", "]C18004ABC-123/4", code(tracking.CodeGIAI, "ABC-123/4", "]C1")},
		{"GIAIBeforeGLNExtension", "]d28004XRAY01\x1d2547", code(tracking.CodeGIAI, "XRAY01", "]d2")},
		{"GIAIParenthesised", "(8004)5412345X99", code(tracking.CodeGIAI, "5412345X99", "")},
		{"GS1OtherShownReadable", "]C10105012345000015\x1d10AB", code(tracking.CodeOther, "(01)05012345000015(10)AB", "]C1")},
		{"UnmarkedBadGLNIsLegacy", "4145412345000014", code(tracking.CodeOther, "4145412345000014", "")},
		{"LegacyLeadingZeros", "000123\r\n", code(tracking.CodeOther, "000123", "")},
		{"LegacyHospitalNumber", "]C0RX12345\r", code(tracking.CodeOther, "RX12345", "]C0")},
		{"LegacyKeepsCase", "abc-12", code(tracking.CodeOther, "abc-12", "")},
		{"LegacyLatin1Bytes", "CAF\xc9", code(tracking.CodeOther, "CAFÉ", "")},
		{"ShortTextNotAIM", "]C", code(tracking.CodeOther, "]C", "")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.raw)
			if err != nil {
				t.Fatalf("Parse(%q) error %v", tc.raw, err)
			}
			if got != tc.want {
				t.Errorf("Parse(%q) = %+v, want %+v", tc.raw, got, tc.want)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	vol := tracking.VolumeBarcode(1234)
	tests := []struct {
		name, raw string
		wantKind  tracking.CodeKind
	}{
		{"ErrEmpty", "", ""},
		{"ErrOnlyLineEnd", "\r\n", ""},
		{"ErrOnlyJunk", "\x00\ufeff \t\x1d", ""},
		{"ErrOnlyAIM", "]C0\r", ""},
		{"ErrTooLong", strings.Repeat("A", 201), ""},
		{"ErrTooLongRaw", strings.Repeat(" ", 5000) + vol, ""},
		{"ErrVolumeMisread", vol[:5] + "9" + vol[6:], tracking.CodeVolume},
		{"ErrVolumeSwap", vol[:8] + vol[9:] + vol[8:9], tracking.CodeVolume},
		{"ErrLocationMisread", "]C0l000073\r\n", tracking.CodeLocation},
		{"ErrGLNCheckDigit", "]C14145412345000014", tracking.CodeGLN},
		{"ErrGLNParenthesisedCheckDigit", "(414)5412345000014", tracking.CodeGLN},
		{"ErrGLNShort", "]C1414541234500001\x1d", tracking.CodeGLN},
		{"ErrGIAITooLong", "]C18004" + strings.Repeat("X", 31), tracking.CodeGIAI},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.raw)
			if tracking.ErrorCode(err) != tracking.EINVALID {
				t.Fatalf("Parse(%q) = %+v, %v; want an EINVALID error", tc.raw, got, err)
			}
			if got.Kind != tc.wantKind {
				t.Errorf("Parse(%q) kind %q, want %q", tc.raw, got.Kind, tc.wantKind)
			}
		})
	}
}

// Parse must have the shape tracking depends on.
var _ tracking.CodeParser = Parse

func code(kind tracking.CodeKind, value, sym string) tracking.Code {
	return tracking.Code{Kind: kind, Value: value, Symbology: sym}
}
