package scanner

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

// A paletted image (GIF, 8-bit BMP) greys through a table of its palette
// exactly as pixel by pixel conversion greys it.
func TestToGrayPaletted(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	pal := make(color.Palette, 200)
	for i := range pal {
		pal[i] = color.NRGBA{uint8(rng.Uint32()), uint8(rng.Uint32()), uint8(rng.Uint32()), uint8(rng.Uint32())}
	}
	img := image.NewPaletted(image.Rect(0, 0, 40, 30), pal)
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(len(pal)))
	}
	got := toGray(img)
	for y := range 30 {
		for x := range 40 {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			want := blendWhite((uint32(c.R)+2*uint32(c.G)+uint32(c.B))/4, uint32(c.A))
			if g := got.GrayAt(x, y).Y; g != want {
				t.Fatalf("(%d,%d) %v: grey %d, want %d", x, y, c, g, want)
			}
		}
	}
}
