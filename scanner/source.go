package scanner

import (
	"image"

	"github.com/makiuchi-d/gozxing"
)

// graySource lets gozxing read an *image.Gray without copying it, and crop
// and rotate it by 90 degrees (which the 1D readers try by themselves under
// TRY_HARDER, so upright and sideways labels cost one attempt).
type graySource struct {
	gozxing.LuminanceSourceBase
	pix       []byte
	stride    int
	left, top int
}

func newGraySource(g *image.Gray) *graySource {
	return &graySource{
		LuminanceSourceBase: gozxing.LuminanceSourceBase{Width: g.Rect.Dx(), Height: g.Rect.Dy()},
		pix:                 g.Pix,
		stride:              g.Stride,
	}
}

func (s *graySource) GetRow(y int, row []byte) ([]byte, error) {
	if y < 0 || y >= s.Height {
		return row, gozxing.NewNotFoundException("row %d outside the image", y)
	}
	if len(row) < s.Width {
		row = make([]byte, s.Width)
	}
	copy(row, s.pix[(s.top+y)*s.stride+s.left:][:s.Width])
	return row, nil
}

func (s *graySource) GetMatrix() []byte {
	if s.left == 0 && s.top == 0 && s.stride == s.Width {
		return s.pix[:s.Width*s.Height]
	}
	m := make([]byte, s.Width*s.Height)
	for y := 0; y < s.Height; y++ {
		copy(m[y*s.Width:][:s.Width], s.pix[(s.top+y)*s.stride+s.left:])
	}
	return m
}

func (s *graySource) IsCropSupported() bool { return true }

func (s *graySource) Crop(left, top, width, height int) (gozxing.LuminanceSource, error) {
	if left < 0 || top < 0 || left+width > s.Width || top+height > s.Height {
		return nil, gozxing.NewNotFoundException("crop outside the image")
	}
	return &graySource{
		LuminanceSourceBase: gozxing.LuminanceSourceBase{Width: width, Height: height},
		pix:                 s.pix, stride: s.stride, left: s.left + left, top: s.top + top,
	}, nil
}

func (s *graySource) IsRotateSupported() bool { return true }

// RotateCounterClockwise returns the source turned a quarter turn left.
func (s *graySource) RotateCounterClockwise() (gozxing.LuminanceSource, error) {
	w, h := s.Width, s.Height
	out := make([]byte, w*h)
	for y := 0; y < h; y++ {
		row := s.pix[(s.top+y)*s.stride+s.left:]
		for x := 0; x < w; x++ {
			out[(w-1-x)*h+y] = row[x]
		}
	}
	return &graySource{
		LuminanceSourceBase: gozxing.LuminanceSourceBase{Width: h, Height: w},
		pix:                 out, stride: h,
	}, nil
}

func (s *graySource) Invert() gozxing.LuminanceSource { return gozxing.LuminanceSourceInvert(s) }

func (s *graySource) String() string { return gozxing.LuminanceSourceString(s) }

// tiltedSource is g turned by an angle, computed a row at a time as the
// reader asks: a 1D reader samples a few hundred rows of a frame, so
// looking for a tilted label costs a fraction of turning the whole image.
// It does not turn by 90 degrees itself, so a 1D reader under TRY_HARDER
// tries only the angle it was given.
type tiltedSource struct {
	gozxing.LuminanceSourceBase
	g    *image.Gray
	back affine
}

func newTiltedSource(g *image.Gray, deg float64) (*tiltedSource, affine) {
	nw, nh, back := rotation(g, deg)
	return &tiltedSource{LuminanceSourceBase: gozxing.LuminanceSourceBase{Width: nw, Height: nh}, g: g, back: back}, back
}

func (s *tiltedSource) GetRow(y int, row []byte) ([]byte, error) {
	if y < 0 || y >= s.Height {
		return row, gozxing.NewNotFoundException("row %d outside the image", y)
	}
	if len(row) < s.Width {
		row = make([]byte, s.Width)
	}
	rotatedRow(row[:s.Width], s.g, s.back, y)
	return row, nil
}

func (s *tiltedSource) GetMatrix() []byte {
	m := make([]byte, s.Width*s.Height)
	for y := 0; y < s.Height; y++ {
		rotatedRow(m[y*s.Width:][:s.Width], s.g, s.back, y)
	}
	return m
}

func (s *tiltedSource) Invert() gozxing.LuminanceSource { return gozxing.LuminanceSourceInvert(s) }

func (s *tiltedSource) String() string { return gozxing.LuminanceSourceString(s) }
