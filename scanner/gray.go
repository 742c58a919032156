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
