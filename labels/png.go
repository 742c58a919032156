package labels

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// writePNG encodes a drawing as a greyscale PNG, one pixel per printer dot,
// so the preview shows the bars exactly as the printer will burn them.
func writePNG(w io.Writer, d *drawing) error {
	img, err := rasterize(d)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	return enc.Encode(w, img)
}

// rasterize draws d on a white image. Boxes and bars fall on whole pixels;
// only text is anti-aliased.
func rasterize(d *drawing) (*image.Gray, error) {
	img := image.NewGray(image.Rect(0, 0, d.w, d.h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	faces := map[faceKey]font.Face{}
	defer func() {
		for _, f := range faces {
			f.Close()
		}
	}()
	for _, it := range d.items {
		switch it.kind {
		case itemBox:
			fill(img, image.Rect(it.x, it.y, it.x+it.w, it.y+it.h), it.white)
		case itemSymbol:
			rasterSymbol(img, it)
		case itemText:
			face, err := faceFor(faces, it.face, it.size)
			if err != nil {
				return nil, err
			}
			dr := font.Drawer{Dst: img, Src: ink(it.white), Face: face, Dot: fixed.P(it.textX(), it.y)}
			dr.DrawString(it.text)
		}
	}
	return img, nil
}

type faceKey struct {
	tf   *typeface
	size float64
}

// faceFor returns a face for tf at size dots, made once per image.
func faceFor(faces map[faceKey]font.Face, tf *typeface, size float64) (font.Face, error) {
	k := faceKey{tf, size}
	if f, ok := faces[k]; ok {
		return f, nil
	}
	// At 72 dpi one point is one pixel, so Size is the em in dots.
	f, err := opentype.NewFace(tf.font, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, err
	}
	faces[k] = f
	return f, nil
}

// rasterSymbol draws each run of dark modules as one rectangle.
func rasterSymbol(img *image.Gray, it item) {
	eachBar(it, func(x, y, w, h int) {
		fill(img, image.Rect(x, y, x+w, y+h), false)
	})
}

// eachBar calls fn with the rectangle, in dots, of each run of dark
// modules of a symbol item: full-height bars for a 1D code, one module
// high for each row of a 2D code. All three renderers draw through it.
func eachBar(it item, fn func(x, y, w, h int)) {
	s, m := it.sym, it.module
	for row := range s.rows {
		y, h := it.y+row*m, m
		if !s.is2D() {
			y, h = it.y, it.h
		}
		s.runs(row, func(start, n int) { fn(it.x+start*m, y, n*m, h) })
	}
}

func fill(img *image.Gray, r image.Rectangle, white bool) {
	draw.Draw(img, r, ink(white), image.Point{}, draw.Src)
}

func ink(white bool) *image.Uniform {
	if white {
		return image.NewUniform(color.Gray{Y: 0xff})
	}
	return image.NewUniform(color.Gray{Y: 0})
}
