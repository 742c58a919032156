package scanner

import (
	"image"
	"image/color"
)

// toGray converts an image to 8-bit luminance once, so every later attempt
// (scales, rotations, crops, binarizers) starts from the same cheap array.
// Transparent pixels count as white, as on a label. JPEG's Y plane is
// copied as it is.
func toGray(img image.Image) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < b.Dy(); y++ {
			copy(g.Pix[y*g.Stride:][:b.Dx()], m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.YCbCr:
		for y := 0; y < b.Dy(); y++ {
			copy(g.Pix[y*g.Stride:][:b.Dx()], m.Y[m.YOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.Paletted:
		lut := paletteLuminance(m.Palette)
		for y := 0; y < b.Dy(); y++ {
			row, src := g.Pix[y*g.Stride:][:b.Dx()], m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range row {
				row[x] = lut[src[x]]
			}
		}
	case *image.NRGBA:
		grayRows(g, b, func(x, y int) (r, gr, bl, a uint32) {
			p := m.Pix[m.PixOffset(x, y):]
			return uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3])
		})
	case *image.RGBA:
		grayRows(g, b, func(x, y int) (r, gr, bl, a uint32) {
			p := m.Pix[m.PixOffset(x, y):]
			if p[3] == 0xff {
				return uint32(p[0]), uint32(p[1]), uint32(p[2]), 0xff
			}
			c := color.NRGBAModel.Convert(color.RGBA{p[0], p[1], p[2], p[3]}).(color.NRGBA)
			return uint32(c.R), uint32(c.G), uint32(c.B), uint32(c.A)
		})
	default:
		grayRows(g, b, func(x, y int) (r, gr, bl, a uint32) {
			c := color.NRGBAModel.Convert(m.At(x, y)).(color.NRGBA)
			return uint32(c.R), uint32(c.G), uint32(c.B), uint32(c.A)
		})
	}
	return g
}

// grayPlane returns the grey samples of a decoded image as they are, with
// no copy, when it has them (a JPEG's Y plane), or nil.
func grayPlane(img image.Image) *image.Gray {
	switch m := img.(type) {
	case *image.Gray:
		if m.Rect.Min == (image.Point{}) {
			return m
		}
	case *image.YCbCr:
		if m.Rect.Min == (image.Point{}) {
			return &image.Gray{Pix: m.Y, Stride: m.YStride, Rect: m.Rect}
		}
	}
	return nil
}

// paletteLuminance is the grey of each index of a palette, as the default
// case of toGray would give it pixel by pixel (an index past the palette
// stays black, though decoders leave none).
func paletteLuminance(p color.Palette) [256]byte {
	var lut [256]byte
	for i, c := range p[:min(len(p), 256)] {
		n := color.NRGBAModel.Convert(c).(color.NRGBA)
		lut[i] = blendWhite((uint32(n.R)+2*uint32(n.G)+uint32(n.B))/4, uint32(n.A))
	}
	return lut
}

// grayRows fills g from 8-bit non-premultiplied samples:
// luminance is green-weighted, (R+2G+B)/4, and alpha blends towards white.
func grayRows(g *image.Gray, b image.Rectangle, at func(x, y int) (r, gr, bl, a uint32)) {
	for y := 0; y < b.Dy(); y++ {
		row := g.Pix[y*g.Stride:]
		for x := 0; x < b.Dx(); x++ {
			r, gr, bl, a := at(b.Min.X+x, b.Min.Y+y)
			row[x] = blendWhite((r+2*gr+bl)/4, a)
		}
	}
}

func blendWhite(lum, a uint32) byte {
	if a >= 255 {
		return byte(lum)
	}
	return byte((lum*a + 255*(255-a)) / 255)
}

// downscale shrinks g so that its longest side is at most max, averaging the
// source pixels under each output pixel (a box filter keeps thin bars grey
// rather than dropping them, which nearest-neighbour would do).
func downscale(g *image.Gray, max int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	long := w
	if h > long {
		long = h
	}
	if long <= max {
		return g
	}
	nw, nh := w*max/long, h*max/long
	if nw < 1 {
		nw = 1
	}
	if nh < 1 {
		nh = 1
	}
	return resizeBox(g, nw, nh)
}

func resizeBox(g *image.Gray, nw, nh int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, nw, nh))
	for oy := 0; oy < nh; oy++ {
		y0, y1 := oy*h/nh, (oy+1)*h/nh
		if y1 <= y0 {
			y1 = y0 + 1
		}
		for ox := 0; ox < nw; ox++ {
			x0, x1 := ox*w/nw, (ox+1)*w/nw
			if x1 <= x0 {
				x1 = x0 + 1
			}
			out.Pix[oy*out.Stride+ox] = boxMean(g, x0, y0, x1, y1)
		}
	}
	return out
}

func boxMean(g *image.Gray, x0, y0, x1, y1 int) byte {
	sum := 0
	for y := y0; y < y1; y++ {
		row := g.Pix[y*g.Stride:]
		for x := x0; x < x1; x++ {
			sum += int(row[x])
		}
	}
	return byte(sum / ((x1 - x0) * (y1 - y0)))
}

// upscale enlarges g by a whole factor with nearest-neighbour sampling, which
// keeps small, sharp symbols sharp for detectors that need a few pixels a
// module.
func upscale(g *image.Gray, f int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, w*f, h*f))
	for y := 0; y < h*f; y++ {
		src := g.Pix[(y/f)*g.Stride:]
		dst := out.Pix[y*out.Stride:]
		for x := 0; x < w*f; x++ {
			dst[x] = src[x/f]
		}
	}
	return out
}

// pad surrounds g with a white border of m pixels: a quiet zone for symbols
// printed or cropped right to the edge of the image.
func pad(g *image.Gray, m int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, w+2*m, h+2*m))
	for i := range out.Pix {
		out.Pix[i] = 0xff
	}
	for y := 0; y < h; y++ {
		copy(out.Pix[(y+m)*out.Stride+m:], g.Pix[y*g.Stride:][:w])
	}
	return out
}

// invert swaps dark and light, for light codes on dark backgrounds.
func invert(g *image.Gray) *image.Gray {
	out := image.NewGray(g.Rect)
	for i, v := range g.Pix {
		out.Pix[i] = 0xff - v
	}
	return out
}

// crop copies the part of g inside r (clipped to g).
func crop(g *image.Gray, r image.Rectangle) *image.Gray {
	r = r.Intersect(g.Rect)
	out := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := 0; y < r.Dy(); y++ {
		copy(out.Pix[y*out.Stride:][:r.Dx()], g.Pix[g.PixOffset(r.Min.X, r.Min.Y+y):])
	}
	return out
}

// grayBuilder gathers rows of grey, from a decoder that makes them one at
// a time, into an image each of whose sides is shrunk by k: every output
// pixel is the mean of a k x k block (the last partial blocks are
// dropped). Rows of a plain image arrive in order, so one row of sums is
// enough; an interlaced image's arrive in seven passes, so its sums cover
// the whole output.
type grayBuilder struct {
	g    *image.Gray
	k    int
	sums []uint16 // k > 1: the sums of the blocks being filled
	band bool     // sums hold one output row
}

// maxShrink keeps a block's sum of 8-bit values within a uint16.
const maxShrink = 16

func newGrayBuilder(w, h, k int, interlaced bool) *grayBuilder {
	k = min(max(k, 1), maxShrink)
	b := &grayBuilder{g: image.NewGray(image.Rect(0, 0, max(w/k, 1), max(h/k, 1))), k: k}
	if k > 1 {
		b.band = !interlaced
		n := b.g.Rect.Dx()
		if !b.band {
			n *= b.g.Rect.Dy()
		}
		b.sums = make([]uint16, n)
	}
	return b
}

// put adds the pixels of row y at x0, x0+dx, x0+2dx...
func (b *grayBuilder) put(y, x0, dx int, grey []byte) {
	if b.k == 1 {
		row := b.g.Pix[y*b.g.Stride:]
		if dx == 1 {
			copy(row[x0:], grey)
			return
		}
		for i, v := range grey {
			row[x0+i*dx] = v
		}
		return
	}
	nw, oy := b.g.Rect.Dx(), y/b.k
	if oy >= b.g.Rect.Dy() {
		return
	}
	sums := b.sums
	if !b.band {
		sums = sums[oy*nw:]
	}
	for i, v := range grey {
		if ox := (x0 + i*dx) / b.k; ox < nw {
			sums[ox] += uint16(v)
		}
	}
	if b.band && y%b.k == b.k-1 {
		b.emit(oy, sums[:nw])
	}
}

func (b *grayBuilder) emit(oy int, sums []uint16) {
	row, area := b.g.Pix[oy*b.g.Stride:], uint16(b.k*b.k)
	for i, s := range sums {
		row[i] = byte(s / area)
		sums[i] = 0
	}
}

// finish returns the image, once every row has been put.
func (b *grayBuilder) finish() *image.Gray {
	if b.k > 1 && !b.band {
		for oy := range b.g.Rect.Dy() {
			nw := b.g.Rect.Dx()
			b.emit(oy, b.sums[oy*nw:(oy+1)*nw])
		}
	}
	return b.g
}
