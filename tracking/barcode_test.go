package tracking

import (
	"testing"
)

func TestBarcodeRoundTrip(t *testing.T) {
	t.Parallel()
	for _, serial := range []int64{0, 1, 42, 1234, 99999} {
		for _, tc := range []struct {
			make func(int64) string
			kind CodeKind
		}{{VolumeBarcode, CodeVolume}, {LocationBarcode, CodeLocation}} {
			bc := tc.make(serial)
			kind, got, ok, err := ParseBarcode(bc)
			if !ok || err != nil || kind != tc.kind || got != serial {
				t.Errorf("ParseBarcode(%q) = %v %d %v %v, want %v %d", bc, kind, got, ok, err, tc.kind, serial)
			}
		}
	}
}

// Every single wrong character and every swap of two adjacent characters in
// a generated barcode must be caught, never read as another valid barcode.
func TestBarcodeCatchesSubstitutionsAndSwaps(t *testing.T) {
	t.Parallel()
	for serial := int64(0); serial < 3000; serial += 7 {
		for _, bc := range []string{VolumeBarcode(serial), LocationBarcode(serial)} {
			for i := 0; i < len(bc); i++ {
				for _, c := range []byte("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
					if c == bc[i] {
						continue
					}
					mustNotParse(t, bc, bc[:i]+string(c)+bc[i+1:])
				}
				if i+1 < len(bc) && bc[i] != bc[i+1] {
					mustNotParse(t, bc, bc[:i]+string(bc[i+1])+string(bc[i])+bc[i+2:])
				}
			}
		}
	}
}

func mustNotParse(t *testing.T, orig, bad string) {
	t.Helper()
	if _, _, ok, err := ParseBarcode(bad); ok && err == nil {
		t.Fatalf("%q (from %q) parsed as valid", bad, orig)
	}
}

func TestParseBarcodeShapes(t *testing.T) {
	t.Parallel()
	valid := VolumeBarcode(1234)
	tests := []struct {
		name, in string
		ok, err  bool
	}{
		{"OK", valid, true, false},
		{"OKLowerCase", "v" + valid[1:], true, false},
		{"NotOursTooShort", "V123", false, false},
		{"NotOursLetters", "VABCDEFGH1", false, false},
		{"NotOursPrefix", "X000012345", false, false},
		{"ErrCheckCharacter", valid[:len(valid)-1] + string(wrongCheck(valid)), true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, ok, err := ParseBarcode(tc.in)
			if ok != tc.ok || (err != nil) != tc.err {
				t.Errorf("ParseBarcode(%q): ok=%v err=%v", tc.in, ok, err)
			}
		})
	}
}

func wrongCheck(bc string) byte {
	if bc[len(bc)-1] == '0' {
		return '1'
	}
	return '0'
}

func TestNHSNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"9434765919", "9434765919", true},
		{"943 476 5919", "9434765919", true},
		{"943-476-5919", "9434765919", true},
		{"9434765918", "", false},  // wrong check digit
		{"943476591", "", false},   // nine digits
		{"94347659190", "", false}, // eleven
		{"94347659A9", "", false},
		{"1234567890", "", false}, // check value 10: never issued
	}
	for _, tc := range tests {
		got, err := NormalizeNHSNumber(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("NormalizeNHSNumber(%q) = %q, %v", tc.in, got, err)
		}
	}
	if got := FormatNHSNumber("9434765919"); got != "943 476 5919" {
		t.Errorf("FormatNHSNumber = %q", got)
	}
}
