package scanner

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"image/png"
	"testing"
)

// FuzzDecodePNG builds PNGs with good checksums from fuzzed headers,
// palettes and pixel data (so the fuzzer reaches the rows, not just the
// checksums) and holds png.go to image/png: where image/png reads a file,
// the grey is what toGray makes of its image; where it refuses one,
// decodePNG refuses it too; neither panics.
func FuzzDecodePNG(f *testing.F) {
	for _, p := range pngCases() {
		data := p.encode(f)
		info, _ := readPNGInfo(data)
		c, _ := readPNGChunks(data, info)
		var idat bytes.Buffer
		for _, r := range c.idat {
			idat.ReadFrom(r)
		}
		f.Add(uint8(p.w-1), uint8(p.h-1), uint8(p.depth), uint8(p.colour), p.interlaced, c.plte, c.trns, idat.Bytes(), false)
	}
	f.Fuzz(func(t *testing.T, w, h, depth, colour uint8, interlaced bool, plte, trns, pixels []byte, compress bool) {
		if compress {
			var z bytes.Buffer
			zw := zlib.NewWriter(&z)
			zw.Write(pixels)
			zw.Close()
			pixels = z.Bytes()
		}
		ihdr := binary.BigEndian.AppendUint32(nil, uint32(w)+1)
		ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h)+1)
		ihdr = append(ihdr, depth, colour, 0, 0, 0)
		if interlaced {
			ihdr[12] = 1
		}
		data := writeChunks([][2]string{{"IHDR", string(ihdr)}, {"PLTE", string(plte)}, {"tRNS", string(trns)},
			{"IDAT", string(pixels)}, {"IEND", ""}})
		got, err := decodePNGData(data, 1)
		img, stdErr := png.Decode(bytes.NewReader(data))
		switch {
		case stdErr != nil && err == nil:
			t.Fatalf("image/png refuses it (%v), decodePNG reads it", stdErr)
		case stdErr == nil && err != nil:
			t.Fatalf("image/png reads it, decodePNG refuses it: %v", err)
		case stdErr == nil && !bytes.Equal(got.Pix, toGray(img).Pix):
			t.Fatalf("grey differs from image/png's")
		}
	})
}
