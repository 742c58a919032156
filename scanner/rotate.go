package scanner

import (
	"image"
	"math"
)

// affine maps a point of a derived view (scaled, cropped, rotated) back to
// the base image: x' = a[0]x + a[1]y + a[2], y' = a[3]x + a[4]y + a[5].
// Result points from gozxing are in view coordinates; the masking of found
// codes and the reading order are in base coordinates.
type affine [6]float64

var identity = affine{1, 0, 0, 0, 1, 0}

func (m affine) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[1]*y + m[2], m[3]*x + m[4]*y + m[5]
}

// then returns the map that applies m first and n after it.
func (m affine) then(n affine) affine {
	return affine{
		n[0]*m[0] + n[1]*m[3], n[0]*m[1] + n[1]*m[4], n[0]*m[2] + n[1]*m[5] + n[2],
		n[3]*m[0] + n[4]*m[3], n[3]*m[1] + n[4]*m[4], n[3]*m[2] + n[4]*m[5] + n[5],
	}
}

func scaling(s float64) affine { return affine{s, 0, 0, 0, s, 0} }

func translation(dx, dy float64) affine { return affine{1, 0, dx, 0, 1, dy} }

// rotate turns g by deg degrees (counter-clockwise as seen on screen) about
// its centre onto a canvas big enough to hold all of it, filling the corners
// white, with bilinear sampling. 1D readers only tolerate a few degrees of
// tilt, so a tilted label is read by turning the picture under it. It also
// returns the map from the new image back to g.
func rotate(g *image.Gray, deg float64) (*image.Gray, affine) {
	nw, nh, back := rotation(g, deg)
	out := image.NewGray(image.Rect(0, 0, nw, nh))
	for y := 0; y < nh; y++ {
		rotatedRow(out.Pix[y*out.Stride:][:nw], g, back, y)
	}
	return out, back
}

// rotation returns the size of g turned by deg degrees and the map from
// the turned image back to g.
func rotation(g *image.Gray, deg float64) (nw, nh int, back affine) {
	w, h := float64(g.Rect.Dx()), float64(g.Rect.Dy())
	sin, cos := math.Sincos(deg * math.Pi / 180)
	nw = int(math.Ceil(math.Abs(w*cos) + math.Abs(h*sin)))
	nh = int(math.Ceil(math.Abs(w*sin) + math.Abs(h*cos)))
	// Screen y points down, so a counter-clockwise turn on screen maps an
	// output point back to the source with this matrix.
	cx, cy, ncx, ncy := w/2, h/2, float64(nw)/2, float64(nh)/2
	return nw, nh, affine{
		cos, -sin, cx - cos*ncx + sin*ncy,
		sin, cos, cy - sin*ncx - cos*ncy,
	}
}

// rotatedRow fills row with row y of g turned as back describes.
func rotatedRow(row []byte, g *image.Gray, back affine, y int) {
	sx, sy := back.apply(0.5, float64(y)+0.5)
	rotateRow(row, g, sx-0.5, sy-0.5, back[0], back[3])
}

// rotateRow fills row with bilinear samples of g along the line from
// (sx, sy) in steps of (dx, dy), in 16.16 fixed point: rotation runs on
// every pixel of a frame, several times for a tilted label.
func rotateRow(row []byte, g *image.Gray, sx, sy, dx, dy float64) {
	const one = 1 << 16
	w, h, p, stride := g.Rect.Dx(), g.Rect.Dy(), g.Pix, g.Stride
	fx, fy := int(math.Floor(sx*one)), int(math.Floor(sy*one))
	stepX, stepY := int(math.Round(dx*one)), int(math.Round(dy*one))
	for x := range row {
		ix, iy := fx>>16, fy>>16
		if uint(ix) < uint(w-1) && uint(iy) < uint(h-1) {
			wx, wy := fx&(one-1), fy&(one-1)
			i := iy*stride + ix
			top := int(p[i])*(one-wx) + int(p[i+1])*wx
			bot := int(p[i+stride])*(one-wx) + int(p[i+stride+1])*wx
			row[x] = byte((top*(one-wy) + bot*wy + 1<<31) >> 32)
		} else {
			row[x] = 0xff
		}
		fx += stepX
		fy += stepY
	}
}

// bilinear samples g at a fractional position; outside it is white.
func bilinear(g *image.Gray, x, y float64) byte {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if x < -0.5 || y < -0.5 || x > float64(w)-0.5 || y > float64(h)-0.5 {
		return 0xff
	}
	x, y = math.Max(x, 0), math.Max(y, 0)
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, w-1), min(y0+1, h-1)
	x0, y0 = min(x0, w-1), min(y0, h-1)
	fx, fy := x-float64(x0), y-float64(y0)
	p, s := g.Pix, g.Stride
	top := float64(p[y0*s+x0])*(1-fx) + float64(p[y0*s+x1])*fx
	bot := float64(p[y1*s+x0])*(1-fx) + float64(p[y1*s+x1])*fx
	return byte(math.Min(255, top*(1-fy)+bot*fy+0.5))
}
