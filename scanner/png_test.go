package scanner

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// testPNG describes a PNG for the tests to write, with samples drawn at
// random: every colour type and depth, with or without tRNS, plain or
// interlaced, each row filtered with one of the five filters in turn.
type testPNG struct {
	w, h, depth, colour int
	interlaced          bool
	plte, trns          []byte
	seed                uint64
}

// encode writes the PNG, its image data split over two IDAT chunks.
func (p testPNG) encode(tb testing.TB) []byte {
	tb.Helper()
	info := pngInfo{width: p.w, height: p.h, depth: p.depth, colour: p.colour, interlaced: p.interlaced}
	samples := p.samples(info)
	var raw bytes.Buffer
	zw := zlib.NewWriter(&raw)
	row := 0
	for _, q := range pngPasses(p.interlaced) {
		w, h := q.size(p.w, p.h)
		if w == 0 || h == 0 {
			continue
		}
		prev := make([]byte, info.rowBytes(w))
		for y := range h {
			cur := packRow(info, samples, q, y, w)
			zw.Write(filterRow(byte(row%5), cur, prev, max(1, info.bitsPerPixel()/8)))
			prev, row = cur, row+1
		}
	}
	zw.Close()
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(p.w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(p.h))
	ihdr = append(ihdr, byte(p.depth), byte(p.colour), 0, 0, 0)
	if p.interlaced {
		ihdr[12] = 1
	}
	data, half := raw.Bytes(), raw.Len()/2
	chunks := [][2]string{{"IHDR", string(ihdr)}, {"PLTE", string(p.plte)}, {"tRNS", string(p.trns)},
		{"IDAT", string(data[:half])}, {"IDAT", string(data[half:])}, {"IEND", ""}}
	return writeChunks(chunks)
}

func writeChunks(chunks [][2]string) []byte {
	out := []byte(pngSignature)
	for _, c := range chunks {
		if c[1] == "" && (c[0] == "PLTE" || c[0] == "tRNS") {
			continue
		}
		out = binary.BigEndian.AppendUint32(out, uint32(len(c[1])))
		start := len(out)
		out = append(out, c[0]+c[1]...)
		out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
	}
	return out
}

// samples draws every pixel's samples; the first pixel's colour is the
// tRNS key of grey and RGB images, so some pixels are transparent.
func (p testPNG) samples(info pngInfo) [][]uint16 {
	rng := rand.New(rand.NewPCG(p.seed, 7))
	n := info.bitsPerPixel() / info.depth
	out := make([][]uint16, p.w*p.h)
	for i := range out {
		out[i] = make([]uint16, n)
		for c := range out[i] {
			out[i][c] = uint16(rng.IntN(1 << p.depth))
			if i%5 == 0 && len(p.trns) > 0 && p.colour != pngPalette {
				out[i][c] = uint16(binary.BigEndian.Uint16([]byte(p.trns[2*c:]))) & (1<<p.depth - 1)
			}
		}
	}
	return out
}

// packRow packs row y of pass q, w pixels, at the PNG's depth.
func packRow(info pngInfo, samples [][]uint16, q pngPass, y, w int) []byte {
	row := make([]byte, info.rowBytes(w))
	bit := 0
	for i := range w {
		for _, s := range samples[(q.y0+y*q.dy)*info.width+q.x0+i*q.dx] {
			switch info.depth {
			case 16:
				binary.BigEndian.PutUint16(row[bit/8:], s)
			default:
				row[bit/8] |= byte(s) << (8 - info.depth - bit%8)
			}
			bit += info.depth
		}
	}
	return row
}

// filterRow applies a filter as an encoder does, from the raw bytes.
func filterRow(f byte, cur, prev []byte, bpp int) []byte {
	out := append([]byte{f}, cur...)
	for i := range cur {
		var left, upLeft byte
		if i >= bpp {
			left, upLeft = cur[i-bpp], prev[i-bpp]
		}
		switch f {
		case 1:
			out[1+i] -= left
		case 2:
			out[1+i] -= prev[i]
		case 3:
			out[1+i] -= byte((int(left) + int(prev[i])) / 2)
		case 4:
			out[1+i] -= paeth(left, prev[i], upLeft)
		}
	}
	return out
}

// paeth is the Paeth predictor as the PNG specification writes it: of the
// bytes left (a), above (b) and above-left (c), whichever is closest to
// a + b - c, ties going in that order.
func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := p-int(a), p-int(b), p-int(c)
	pa, pb, pc = max(pa, -pa), max(pb, -pb), max(pc, -pc)
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

// pngCases are PNGs of every kind the format has.
func pngCases() map[string]testPNG {
	cases := map[string]testPNG{}
	add := func(name string, p testPNG) {
		for _, interlaced := range []bool{false, true} {
			p.interlaced, p.seed = interlaced, uint64(len(cases))
			cases[fmt.Sprintf("%s/interlaced=%v", name, interlaced)] = p
		}
	}
	for _, d := range []int{1, 2, 4, 8, 16} {
		add(fmt.Sprintf("Grey%d", d), testPNG{w: 13, h: 11, depth: d, colour: pngGray})
		add(fmt.Sprintf("Grey%dKey", d), testPNG{w: 13, h: 11, depth: d, colour: pngGray, trns: []byte{0, 1}})
	}
	for _, d := range []int{8, 16} {
		add(fmt.Sprintf("RGB%d", d), testPNG{w: 13, h: 11, depth: d, colour: pngRGB})
		add(fmt.Sprintf("RGB%dKey", d), testPNG{w: 13, h: 11, depth: d, colour: pngRGB, trns: []byte{0, 9, 0, 200, 0, 77}})
		add(fmt.Sprintf("GreyAlpha%d", d), testPNG{w: 13, h: 11, depth: d, colour: pngGrayAlpha})
		add(fmt.Sprintf("RGBA%d", d), testPNG{w: 13, h: 11, depth: d, colour: pngRGBA})
	}
	plte := bytes.Repeat([]byte{200, 40, 90, 10, 250, 30, 255, 255, 255}, 90)
	for _, d := range []int{1, 2, 4, 8} {
		// A palette one short of the depth's, so the last index is past it.
		short := plte[:3*max(1, 1<<d-1)]
		add(fmt.Sprintf("Palette%d", d), testPNG{w: 13, h: 11, depth: d, colour: pngPalette, plte: short})
		add(fmt.Sprintf("Palette%dAlpha", d), testPNG{w: 13, h: 11, depth: d, colour: pngPalette, plte: short,
			trns: []byte{0, 128, 255, 3}[:min(4, 1<<d)]})
	}
	add("OnePixel", testPNG{w: 1, h: 1, depth: 8, colour: pngRGBA})
	return cases
}

// standardGray is what DecodeImage made of a PNG before png.go: the image
// image/png decodes, turned grey by toGray.
func standardGray(tb testing.TB, data []byte) *image.Gray {
	tb.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("image/png: %v", err)
	}
	return toGray(img)
}

func decodePNGData(data []byte, k int) (*image.Gray, error) {
	p, err := readPNGInfo(data)
	if err != nil {
		return nil, err
	}
	return decodePNG(context.Background(), data, p, k)
}

func TestDecodePNGMatchesImagePNG(t *testing.T) {
	t.Parallel()
	for name, p := range pngCases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data := p.encode(t)
			got, err := decodePNGData(data, 1)
			if err != nil {
				t.Fatal(err)
			}
			if want := standardGray(t, data); !bytes.Equal(got.Pix, want.Pix) || got.Rect != want.Rect {
				t.Errorf("grey\n got %v\nwant %v", got.Pix, want.Pix)
			}
		})
	}
}

// The ZXing photographs and scans are all PNGs: each reads to the grey
// image/png gave, byte for byte.
func TestDecodePNGMatchesImagePNGOnPhotos(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join(zxingDir(t), "*", "*.png"))
	if len(files) == 0 {
		t.Fatal("no PNG photographs found")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodePNGData(data, 1)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if want := standardGray(t, data); !bytes.Equal(got.Pix, want.Pix) {
			t.Errorf("%s: grey differs from image/png's", f)
		}
	}
}

// Shrunk while decoding, plain or interlaced, a PNG gives the box means
// resizeBox gives of the full-size grey.
func TestDecodePNGShrinks(t *testing.T) {
	t.Parallel()
	for _, interlaced := range []bool{false, true} {
		t.Run(fmt.Sprintf("interlaced=%v", interlaced), func(t *testing.T) {
			t.Parallel()
			data := testPNG{w: 48, h: 30, depth: 8, colour: pngRGB, interlaced: interlaced, seed: 3}.encode(t)
			full, err := decodePNGData(data, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range []int{2, 3} {
				got, err := decodePNGData(data, k)
				if err != nil {
					t.Fatal(err)
				}
				if want := resizeBox(full, 48/k, 30/k); !bytes.Equal(got.Pix, want.Pix) || got.Rect != want.Rect {
					t.Errorf("k=%d: %v, want %v", k, got.Pix, want.Pix)
				}
			}
		})
	}
}

func TestDecodePNGErrors(t *testing.T) {
	t.Parallel()
	p := testPNG{w: 13, h: 11, depth: 8, colour: pngRGB, seed: 1}
	good := p.encode(t)
	badCRC := bytes.Clone(good)
	badCRC[len(badCRC)-20]++
	// rows is the PNG of 13 x 11 RGB pixels with the given image data
	// (rows of a filter byte and 39 samples) and what follows it.
	rows := func(data, extra []byte) []byte {
		var raw bytes.Buffer
		zw := zlib.NewWriter(&raw)
		zw.Write(data)
		zw.Write(extra)
		zw.Close()
		return writeChunks([][2]string{{"IHDR", string(good[16:29])}, {"IDAT", raw.String()}, {"IEND", ""}})
	}
	tests := map[string][]byte{
		"Truncated":      good[:len(good)-30],
		"NoIEND":         good[:len(good)-12],
		"ChecksumBroken": badCRC,
		"ExcessData":     rows(make([]byte, 11*40), []byte{1, 2, 3}),
		"FilterUnknown":  rows(append([]byte{5}, make([]byte, 11*40-1)...), nil),
		"ShortData":      writeChunks([][2]string{{"IHDR", string(good[16:29])}, {"IDAT", string(good[50:60])}, {"IEND", ""}}),
		"PaletteMissing": testPNG{w: 4, h: 4, depth: 8, colour: pngPalette}.encode(t),
		"NoIDAT":         writeChunks([][2]string{{"IHDR", string(good[16:29])}, {"IEND", ""}}),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := png.Decode(bytes.NewReader(data)); err == nil {
				t.Fatal("image/png reads it: the case is wrong")
			}
			if g, err := decodePNGData(data, 1); err == nil {
				t.Errorf("decodePNG = %v, want an error", g.Rect)
			}
			if _, err := DecodeImage(bytes.NewReader(data)); !errors.Is(err, ErrNotImage) {
				t.Errorf("DecodeImage: %v, want ErrNotImage", err)
			}
		})
	}
}

// A decode whose context is done stops with its error.
func TestDecodePNGStopsWhenDone(t *testing.T) {
	t.Parallel()
	data := testPNG{w: 64, h: 64, depth: 16, colour: pngRGBA, seed: 2}.encode(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p, _ := readPNGInfo(data)
	if g, err := decodePNG(ctx, data, p, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("decodePNG = %v, %v; want context.Canceled", g, err)
	}
}

// 16-bit colour with alpha greys exactly as toGray greys image/png's
// NRGBA64 pixels, rounding included.
func TestNRGBA64Grey(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200_000 {
		c := color.NRGBA64{uint16(rng.Uint32()), uint16(rng.Uint32()), uint16(rng.Uint32()), uint16(rng.Uint32())}
		switch i % 4 {
		case 1:
			c.A = uint16(rng.IntN(0x400)) // near transparent, where rounding bites
		case 2:
			c.A = 0xffff
		}
		img := image.NewNRGBA64(image.Rect(0, 0, 1, 1))
		img.SetNRGBA64(0, 0, c)
		want := toGray(img).Pix[0]
		if got := nrgba64Grey(uint32(c.R), uint32(c.G), uint32(c.B), uint32(c.A)); got != want {
			t.Fatalf("%v: grey %d, want %d", c, got, want)
		}
	}
}
