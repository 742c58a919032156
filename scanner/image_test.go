package scanner

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"reflect"
	"strings"
	"testing"

	"github.com/casetrack/casetrack/tracking"
)

func TestDecodeImage(t *testing.T) {
	t.Parallel()
	vol, vol2 := tracking.VolumeBarcode(1234), tracking.VolumeBarcode(98765432)
	loc := tracking.LocationBarcode(7)
	tests := []struct {
		name  string
		frame func(t *testing.T) []byte
		want  []Decoded
	}{
		{"Code128Upright", func(t *testing.T) []byte {
			s := newScene(1280, 720, 1, true)
			s.place(code128Symbol(t, vol, 2), 640, 360, 0, 1)
			return s.jpeg(t, 85)
		}, []Decoded{{vol, "code128"}}},
		{"Code128Rotated5", labelFrame(vol, 5, 1), []Decoded{{vol, "code128"}}},
		{"Code128Rotated15", labelFrame(vol, 15, 1), []Decoded{{vol, "code128"}}},
		{"Code128RotatedMinus20", labelFrame(vol, -20, 1), []Decoded{{vol, "code128"}}},
		{"Code128Rotated45", labelFrame(vol, 45, 1), []Decoded{{vol, "code128"}}},
		{"Code128Rotated90", labelFrame(vol, 90, 1), []Decoded{{vol, "code128"}}},
		{"Code128Rotated180", labelFrame(vol, 180, 1), []Decoded{{vol, "code128"}}},
		{"Code128ScaledDown", labelFrame(vol, 0, 0.7), []Decoded{{vol, "code128"}}},
		{"Code128Blurred", func(t *testing.T) []byte {
			s := newScene(1280, 720, 2, true)
			s.place(code128Symbol(t, vol, 3), 600, 300, 3, 1)
			s.blur(2)
			return s.jpeg(t, 85)
		}, []Decoded{{vol, "code128"}}},
		{"Code128NoisyJPEG40", func(t *testing.T) []byte {
			s := newScene(1280, 720, 3, true)
			s.place(code128Symbol(t, vol, 3), 700, 400, -4, 1)
			s.noise(18)
			return s.jpeg(t, 40)
		}, []Decoded{{vol, "code128"}}},
		{"Code128LargePhoto", func(t *testing.T) []byte {
			s := newScene(4000, 3000, 4, true)
			s.place(code128Symbol(t, vol, 6), 2000, 1500, 8, 1)
			s.blur(1)
			return s.jpeg(t, 80)
		}, []Decoded{{vol, "code128"}}},
		{"Code128PhotoShrunk", func(t *testing.T) []byte {
			s := newScene(6000, 3200, 4, true)
			s.place(code128Symbol(t, vol, 6), 3000, 1600, 8, 1)
			return s.jpeg(t, 80)
		}, []Decoded{{vol, "code128"}}},
		{"QRLocationPNG", func(t *testing.T) []byte {
			s := newScene(640, 480, 5, true)
			s.place(qrSymbol(t, loc, 5), 320, 240, 20, 1)
			return s.png(t)
		}, []Decoded{{loc, "qr"}}},
		{"DataMatrixVolume", func(t *testing.T) []byte {
			s := newScene(640, 480, 6, false)
			s.place(dataMatrixSymbol(t, vol, 6), 320, 240, 0, 1)
			return s.png(t)
		}, []Decoded{{vol, "datamatrix"}}},
		{"TwoCode128InReadingOrder", func(t *testing.T) []byte {
			s := newScene(1280, 720, 7, true)
			s.place(code128Symbol(t, vol2, 2), 900, 500, 0, 1)
			s.place(code128Symbol(t, vol, 2), 350, 200, 0, 1)
			return s.jpeg(t, 85)
		}, []Decoded{{vol, "code128"}, {vol2, "code128"}}},
		{"QRAndCode128", func(t *testing.T) []byte {
			s := newScene(1280, 720, 8, true)
			s.place(qrSymbol(t, loc, 6), 250, 250, 0, 1)
			s.place(code128Symbol(t, vol, 2), 850, 300, 0, 1)
			return s.jpeg(t, 85)
		}, []Decoded{{loc, "qr"}, {vol, "code128"}}},
		{"GS1Code128GLN", func(t *testing.T) []byte {
			s := newScene(1280, 720, 9, false)
			s.place(code128Symbol(t, "\u00f14145412345000013", 2), 640, 360, 0, 1)
			return s.png(t)
		}, []Decoded{{"]C14145412345000013", "code128"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := DecodeImage(bytes.NewReader(tc.frame(t)))
			if err != nil {
				t.Fatalf("DecodeImage: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("DecodeImage = %q, want %q", got, tc.want)
			}
		})
	}
}

// labelFrame is a webcam frame holding one Code 128 label of s turned deg
// degrees and scaled by k.
func labelFrame(s string, deg, k float64) func(t *testing.T) []byte {
	return func(t *testing.T) []byte {
		sc := newScene(1280, 720, uint64(deg*10+k*100), true)
		sc.place(code128Symbol(t, s, 3), 640, 360, deg, k)
		return sc.jpeg(t, 85)
	}
}

// What the camera reads goes through Parse like any scan.
func TestDecodedTextParses(t *testing.T) {
	t.Parallel()
	s := newScene(1280, 720, 9, false)
	s.place(code128Symbol(t, "\u00f14145412345000013", 2), 640, 360, 0, 1)
	got, err := DecodeImage(bytes.NewReader(s.png(t)))
	if err != nil || len(got) != 1 {
		t.Fatalf("DecodeImage = %v, %v", got, err)
	}
	code, err := Parse(got[0].Text)
	if want := (tracking.Code{Kind: tracking.CodeGLN, Value: "5412345000013", Symbology: "]C1"}); err != nil || code != want {
		t.Errorf("Parse(%q) = %+v, %v; want %+v", got[0].Text, code, err, want)
	}
}

func TestDecodeImageErrors(t *testing.T) {
	t.Parallel()
	blank := newScene(640, 480, 1, true).png(t)
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"ErrNotImageText", []byte("V000012342\r\nthis is a text file\n"), ErrNotImage},
		{"ErrNotImageEmpty", nil, ErrNotImage},
		{"ErrNotImageTruncatedPNG", blank[:len(blank)/2], ErrNotImage},
		{"ErrNotImageTruncatedHeader", blank[:20], ErrNotImage},
		{"ErrImageTooLargeBytes", append(bytes.Clone(blank), make([]byte, MaxImageBytes)...), ErrImageTooLarge},
		{"ErrImageTooLargePixels", pngHeader(t, 10000, 5000), ErrImageTooLarge},
		{"ErrNoBarcode", blank, ErrNoBarcode},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := DecodeImage(bytes.NewReader(tc.data))
			if !errors.Is(err, tc.want) || got != nil {
				t.Fatalf("DecodeImage = %v, %v; want %v", got, err, tc.want)
			}
			if tracking.ErrorCode(err) != tracking.EINVALID || !strings.Contains(tracking.ErrorMessage(err), strings.Fields(tracking.ErrorMessage(tc.want))[0]) {
				t.Errorf("error %v: code %q message %q", err, tracking.ErrorCode(err), tracking.ErrorMessage(err))
			}
		})
	}
}

// pngHeader returns the start of a PNG that claims to be w x h: enough for
// image.DecodeConfig, the shape of a decompression bomb.
func pngHeader(tb testing.TB, w, h int) []byte {
	s := newScene(w, 1, 1, false).png(tb)
	b := bytes.Clone(s[:33]) // signature and IHDR chunk
	binary.BigEndian.PutUint32(b[20:], uint32(h))
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}
