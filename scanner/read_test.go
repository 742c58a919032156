package scanner

import (
	"testing"

	"github.com/makiuchi-d/gozxing"
)

// Decoded text must read as a scanner would have sent it, so Parse sees
// GS1 for GS1 symbols whatever the reader did with FNC1.
func TestResultText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, sym, want string
	}{
		{"PlainCode128", "V000012342", "]C0", "V000012342"},
		{"GS1Code128AlreadyPrefixed", "]C14145412345000013", "]C1", "]C14145412345000013"},
		{"GS1DataMatrixLeadingFNC1", "\x1d4145412345000013", "]d2", "]d24145412345000013"},
		{"GS1QRWithoutMarker", "4145412345000013", "]Q3", "]Q34145412345000013"},
		{"Latin1Code128", "CAF\xc9", "]C0", "CAFÉ"},
		{"NoMetadata", "L000072", "", "L000072"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := gozxing.NewResult(tc.text, nil, nil, gozxing.BarcodeFormat_CODE_128)
			if tc.sym != "" {
				r.PutMetadata(gozxing.ResultMetadataType_SYMBOLOGY_IDENTIFIER, tc.sym)
			}
			if got := resultText(r); got != tc.want {
				t.Errorf("resultText(%q, %q) = %q, want %q", tc.text, tc.sym, got, tc.want)
			}
		})
	}
}
