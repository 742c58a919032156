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
