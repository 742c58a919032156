package scanner

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"runtime"
	"testing"
	"time"

	"golang.org/x/image/bmp"

	"github.com/casetrack/casetrack/tracking"
)

// jpegHeader is the start of a JPEG that claims to be w x h with three
// components sampled alike, as far as image.DecodeConfig reads: the
// shape of a bomb, refused before its (missing) pixels are looked at.
func jpegHeader(w, h int, progressive bool) []byte {
	b := []byte{0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0}
	sof := byte(0xc0)
	if progressive {
		sof = 0xc2
	}
	b = append(b, 0xff, sof, 0, 17, 8)
	b = binary.BigEndian.AppendUint16(b, uint16(h))
	b = binary.BigEndian.AppendUint16(b, uint16(w))
	return append(b, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1)
}

// pngBombHeader is the header of a PNG claiming side x side pixels of
// 16-bit RGBA.
func pngBombHeader(side int) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(side))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(side))
	return writeChunks([][2]string{{"IHDR", string(append(ihdr, 16, pngRGBA, 0, 0, 0))}})
}

// The memory an image needs is known from its header, and decides
// whether it is taken: a webcam frame is cheap, a phone photo fits, a
// 16-bit PNG bomb fits because it is read a row at a time and shrunk,
// and images whose decoders would hold hundreds of MB do not.
func TestImageMemory(t *testing.T) {
	t.Parallel()
	webcam := newScene(1280, 720, 1, true)
	tests := []struct {
		name     string
		data     []byte
		upload   int
		most     int64
		accepted bool
	}{
		{"WebcamFrameJPEG", webcam.jpeg(t, 85), 0, 16 << 20, true},
		{"WebcamFramePNG", webcam.png(t), 0, 16 << 20, true},
		{"PhonePhotoJPEG", jpegHeader(4000, 3000, false), 5 << 20, DecodeMemory, true},
		{"PNGBomb16BitRGBA", pngBombHeader(6320), 310 << 10, DecodeMemory / 2, true},
		{"ProgressiveJPEG40MP", jpegHeader(6320, 6320, true), 0, 0, false},
		{"BaselineJPEG40MPFullColour", jpegHeader(6320, 6320, false), 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			im, err := readImageInfo(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			m := im.memory(max(tc.upload, len(tc.data)), shrinkFactor(im.width, im.height))
			t.Logf("%s: %d MB", tc.name, m>>20)
			if accepted := m <= DecodeMemory; accepted != tc.accepted || tc.accepted && m > tc.most {
				t.Errorf("needs %d MB: accepted %v, want %v and at most %d MB", m>>20, accepted, tc.accepted, tc.most>>20)
			}
		})
	}
}

// An image that alone needs more than the budget is refused with
// ErrImageTooLarge: the files are headers only, so decoding them would
// have failed with ErrNotImage.
func TestDecoderRefusesBeforeDecoding(t *testing.T) {
	t.Parallel()
	for name, data := range map[string][]byte{
		"ProgressiveJPEG": jpegHeader(6320, 6320, true),
		"PNG":             pngHeader(t, 4000, 3000),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := NewDecoder(8<<20).Decode(context.Background(), bytes.NewReader(data))
			if !errors.Is(err, ErrImageTooLarge) || tracking.ErrorCode(err) != tracking.EINVALID {
				t.Fatalf("Decode: %v, want ErrImageTooLarge", err)
			}
			if msg := tracking.ErrorMessage(err); !bytes.Contains([]byte(msg), []byte("MB of memory to decode")) {
				t.Errorf("message %q does not say why", msg)
			}
		})
	}
}

// Decodes share the budget: one that does not fit beside those in
// progress waits and, if no room is made in time, gets ErrBusy; once the
// memory is given back it is read.
func TestDecoderBudgetIsShared(t *testing.T) {
	t.Parallel()
	s := newScene(640, 480, 3, false)
	s.place(qrSymbol(t, tracking.LocationBarcode(7), 4), 320, 240, 0, 1)
	frame := s.png(t)
	d := NewDecoder(32 << 20)
	release, err := d.reserve(context.Background(), 30<<20)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := d.Decode(ctx, bytes.NewReader(frame)); !errors.Is(err, ErrBusy) {
		t.Fatalf("Decode beside a full budget: %v, want ErrBusy", err)
	}
	release()
	if got, err := d.Decode(context.Background(), bytes.NewReader(frame)); err != nil || len(got) != 1 {
		t.Errorf("Decode after the memory came back: %v, %v", got, err)
	}
}

// What a decoder allocates, all of it, is within what the header said it
// would: the estimate the budget is built on does not undercount.
// Not parallel, so that the count of allocated bytes is this test's own.
func TestDecoderMemoryCoversAllocations(t *testing.T) {
	s := newScene(640, 480, 4, true)
	s.place(qrSymbol(t, tracking.LocationBarcode(7), 4), 320, 240, 0, 1)
	var gifData, bmpData, colourJPEG bytes.Buffer
	paletted := image.NewPaletted(s.img.Rect, palette.Plan9)
	for i, v := range s.img.Pix {
		paletted.Pix[i] = uint8(paletted.Palette.Index(color.Gray{v}))
	}
	gif.Encode(&gifData, paletted, nil)
	bmp.Encode(&bmpData, rgbaOf(s.img))
	jpeg.Encode(&colourJPEG, rgbaOf(s.img), nil)
	for name, data := range map[string][]byte{
		"JPEG": colourJPEG.Bytes(), "GreyJPEG": s.jpeg(t, 85), "GIF": gifData.Bytes(), "BMP": bmpData.Bytes(),
		"PNG16":         testPNG{w: 640, h: 480, depth: 16, colour: pngRGBA, seed: 5}.encode(t),
		"PNGInterlaced": testPNG{w: 640, h: 480, depth: 8, colour: pngRGB, interlaced: true, seed: 6}.encode(t),
	} {
		im, err := readImageInfo(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		before := allocated()
		if _, err := im.readGray(context.Background(), data, 1); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		used, grey := allocated()-before, int64(im.width*im.height)
		t.Logf("%s: allocated %d KB, estimated %d KB for the decoder and %d KB of grey", name, used>>10, im.decoder>>10, grey>>10)
		if used > im.decoder+grey+64<<10 {
			t.Errorf("%s: decoding allocated %d KB, more than the %d KB estimated", name, used>>10, (im.decoder+grey)>>10)
		}
	}
}

func allocated() int64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.TotalAlloc)
}

func rgbaOf(g *image.Gray) *image.RGBA {
	out := image.NewRGBA(g.Rect)
	for i, v := range g.Pix {
		copy(out.Pix[4*i:], []byte{v, v, v, 0xff})
	}
	return out
}
