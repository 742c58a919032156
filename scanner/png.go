package scanner

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"io"
)

// PNGs are decoded here a row at a time straight to grey, never through
// image/png: the standard decoder first builds the whole image at its own
// depth, so a small file claiming 40 megapixels of 16-bit RGBA costs 320
// MB before a pixel is looked at. Row by row the cost is two rows and the
// grey result, which may also be shrunk on the way (see grayBuilder).
// The grey values are those toGray gives for image/png's image, so every
// PNG reads exactly as it did through the standard decoder.

const pngSignature = "\x89PNG\r\n\x1a\n"

// PNG colour types.
const (
	pngGray      = 0
	pngRGB       = 2
	pngPalette   = 3
	pngGrayAlpha = 4
	pngRGBA      = 6
)

// pngInfo is what a PNG's IHDR chunk says about its pixels.
type pngInfo struct {
	width, height int
	depth         int // bits per sample: 1, 2, 4, 8 or 16
	colour        int
	interlaced    bool
}

var errPNG = errors.New("png: malformed file")

// readPNGInfo reads the header chunk, which the format puts first.
func readPNGInfo(data []byte) (pngInfo, error) {
	if len(data) < 33 || string(data[:8]) != pngSignature ||
		binary.BigEndian.Uint32(data[8:]) != 13 || string(data[12:16]) != "IHDR" {
		return pngInfo{}, errPNG
	}
	if crc32.ChecksumIEEE(data[12:29]) != binary.BigEndian.Uint32(data[29:]) {
		return pngInfo{}, errors.New("png: header checksum mismatch")
	}
	w, h := binary.BigEndian.Uint32(data[16:]), binary.BigEndian.Uint32(data[20:])
	p := pngInfo{width: int(w), height: int(h), depth: int(data[24]), colour: int(data[25]), interlaced: data[28] == 1}
	if w == 0 || h == 0 || w > 1<<31-1 || h > 1<<31-1 || data[26] != 0 || data[27] != 0 || data[28] > 1 || !p.validDepth() {
		return pngInfo{}, errPNG
	}
	return p, nil
}

func (p pngInfo) validDepth() bool {
	switch p.colour {
	case pngGray:
		return p.depth == 1 || p.depth == 2 || p.depth == 4 || p.depth == 8 || p.depth == 16
	case pngPalette:
		return p.depth == 1 || p.depth == 2 || p.depth == 4 || p.depth == 8
	case pngRGB, pngGrayAlpha, pngRGBA:
		return p.depth == 8 || p.depth == 16
	}
	return false
}

func (p pngInfo) bitsPerPixel() int {
	switch p.colour {
	case pngRGB:
		return 3 * p.depth
	case pngGrayAlpha:
		return 2 * p.depth
	case pngRGBA:
		return 4 * p.depth
	}
	return p.depth
}

// rowBytes is the length of a row of w pixels, without its filter byte.
func (p pngInfo) rowBytes(w int) int { return (w*p.bitsPerPixel() + 7) / 8 }

// pngChunks are the chunks a decode needs, as slices of the file.
type pngChunks struct {
	plte, trns []byte
	idat       []io.Reader
}

// readPNGChunks walks the chunks after the header, checking each one's
// checksum, as far as IEND. Chunks casetrack has no use for are skipped.
func readPNGChunks(data []byte, p pngInfo) (pngChunks, error) {
	var c pngChunks
	rest, inIDAT, afterIDAT := data[33:], false, false
	for {
		if len(rest) < 12 {
			return c, io.ErrUnexpectedEOF
		}
		n := int64(binary.BigEndian.Uint32(rest))
		if n > int64(len(rest))-12 {
			return c, io.ErrUnexpectedEOF
		}
		kind, body := string(rest[4:8]), rest[8:8+n]
		if crc32.ChecksumIEEE(rest[4:8+n]) != binary.BigEndian.Uint32(rest[8+n:]) {
			return c, errors.New("png: chunk checksum mismatch")
		}
		rest = rest[12+n:]
		if inIDAT && kind != "IDAT" {
			inIDAT, afterIDAT = false, true
		}
		switch {
		case kind == "IEND" && len(c.idat) > 0:
			return c, nil
		case kind == "IDAT" && afterIDAT, kind == "IEND":
			return c, errors.New("png: chunk out of order")
		case kind == "IDAT":
			if p.colour == pngPalette && c.plte == nil {
				return c, errors.New("png: missing palette")
			}
			inIDAT = true
			c.idat = append(c.idat, bytes.NewReader(body))
		case kind == "PLTE" && !inIDAT && !afterIDAT:
			if err := c.setPalette(body, p); err != nil {
				return c, err
			}
		case kind == "tRNS" && !inIDAT && !afterIDAT:
			if err := c.setTransparency(body, p); err != nil {
				return c, err
			}
		}
	}
}

func (c *pngChunks) setPalette(body []byte, p pngInfo) error {
	switch p.colour {
	case pngGray, pngGrayAlpha:
		return errors.New("png: PLTE, colour type mismatch")
	case pngPalette:
		if n := len(body) / 3; len(body)%3 != 0 || n == 0 || n > 1<<p.depth {
			return errors.New("png: bad PLTE length")
		}
		c.plte = body
	}
	return nil
}

func (c *pngChunks) setTransparency(body []byte, p pngInfo) error {
	want := map[int]int{pngGray: 2, pngRGB: 6}[p.colour]
	switch {
	case p.colour == pngPalette && c.plte == nil:
		return errors.New("png: tRNS before PLTE")
	case p.colour == pngPalette && len(body) > 256:
		return errors.New("png: bad tRNS length")
	case p.colour == pngGrayAlpha || p.colour == pngRGBA:
		return errors.New("png: tRNS, colour type mismatch")
	case want != 0 && len(body) != want:
		return errors.New("png: bad tRNS length")
	}
	c.trns = body
	return nil
}

// decodePNG decodes a PNG straight to grey, each side shrunk by k.
// It gives up with ctx's error when ctx is done.
func decodePNG(ctx context.Context, data []byte, p pngInfo, k int) (*image.Gray, error) {
	c, err := readPNGChunks(data, p)
	if err != nil {
		return nil, err
	}
	zr, err := zlib.NewReader(io.MultiReader(c.idat...))
	if err != nil {
		return nil, err
	}
	rows := newPNGRows(p, c)
	out := newGrayBuilder(p.width, p.height, k, p.interlaced)
	for _, pass := range pngPasses(p.interlaced) {
		if err := rows.readPass(ctx, zr, pass, out); err != nil {
			return nil, err
		}
	}
	// Reading on to the end checks the zlib checksum; data beyond the
	// image is an error, as image/png has it.
	if n, err := zr.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		return nil, errors.New("png: bad or excess pixel data")
	}
	return out.finish(), nil
}

// pngPass is one pass of the image: every pixel of a plain PNG, or one of
// Adam7's seven sub-images, starting at x0, y0 and dx, dy apart.
type pngPass struct{ x0, y0, dx, dy int }

func pngPasses(interlaced bool) []pngPass {
	if !interlaced {
		return []pngPass{{0, 0, 1, 1}}
	}
	return []pngPass{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}
}

func (q pngPass) size(w, h int) (int, int) {
	return (w - q.x0 + q.dx - 1) / q.dx, (h - q.y0 + q.dy - 1) / q.dy
}

// pngRows unfilters rows and turns them into luminance.
type pngRows struct {
	info      pngInfo
	lum       pngLuminance
	cur, prev []byte
	grey      []byte
}

func newPNGRows(p pngInfo, c pngChunks) *pngRows {
	n := 1 + p.rowBytes(p.width)
	return &pngRows{info: p, lum: newPNGLuminance(p, c), cur: make([]byte, n), prev: make([]byte, n),
		grey: make([]byte, p.width)}
}

// readPass reads one pass's rows into out, looking at ctx every few rows
// (a row of a wide 16-bit image is a few hundred microseconds of work).
func (r *pngRows) readPass(ctx context.Context, zr io.Reader, q pngPass, out *grayBuilder) error {
	w, h := q.size(r.info.width, r.info.height)
	if w == 0 || h == 0 {
		return nil // an empty pass has no rows, not even filter bytes
	}
	n := 1 + r.info.rowBytes(w)
	cur, prev := r.cur[:n], r.prev[:n]
	clear(prev)
	bpp := max(1, r.info.bitsPerPixel()/8)
	for y := range h {
		if y%16 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if _, err := io.ReadFull(zr, cur); err != nil {
			return err
		}
		if err := unfilter(cur[0], cur[1:], prev[1:], bpp); err != nil {
			return err
		}
		r.lum.row(r.grey[:w], cur[1:])
		out.put(q.y0+y*q.dy, q.x0, q.dx, r.grey[:w])
		cur, prev = prev, cur
	}
	return nil
}

// unfilter undoes a row's filter in place; prev is the row above,
// already unfiltered (zeros for the first row), and bpp the distance to
// the byte of the pixel on the left (bytes left of the first pixel count
// as zeros).
func unfilter(filter byte, cur, prev []byte, bpp int) error {
	first := min(bpp, len(cur))
	switch filter {
	case 0:
	case 1:
		for i := bpp; i < len(cur); i++ {
			cur[i] += cur[i-bpp]
		}
	case 2:
		for i, b := range prev {
			cur[i] += b
		}
	case 3:
		for i := range first {
			cur[i] += prev[i] / 2
		}
		for i := bpp; i < len(cur); i++ {
			cur[i] += byte((int(cur[i-bpp]) + int(prev[i])) / 2)
		}
	case 4:
		for i := range first {
			cur[i] += prev[i] // the Paeth predictor of (0, up, 0) is up
		}
		unpaeth(cur, prev, bpp)
	default:
		return errors.New("png: bad filter type")
	}
	return nil
}

// unpaeth undoes the Paeth filter from the second pixel on: each byte was
// predicted by whichever of left (a), above (b) and above-left (c) is
// closest to a + b - c, ties going in that order. The distances are
// |b - c|, |a - c| and |a + b - 2c|.
func unpaeth(cur, prev []byte, bpp int) {
	for i := bpp; i < len(cur); i++ {
		a, b, c := int(cur[i-bpp]), int(prev[i]), int(prev[i-bpp])
		pa, pb := b-c, a-c
		pc := pa + pb
		pa, pb, pc = max(pa, -pa), max(pb, -pb), max(pc, -pc)
		switch {
		case pa <= pb && pa <= pc:
			cur[i] += byte(a)
		case pb <= pc:
			cur[i] += byte(b)
		default:
			cur[i] += byte(c)
		}
	}
}
