package scanner

import "image"

// blur3 is a 3x3 box blur (edges repeated): it joins the dots of a noisy
// or over-sharpened print so the binarizer sees modules, not speckle.
func blur3(g *image.Gray) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	rows := make([]uint16, w*h) // horizontal sums of three
	for y := 0; y < h; y++ {
		src, dst := g.Pix[y*g.Stride:][:w], rows[y*w:][:w]
		for x := range src {
			l, r := src[max(x-1, 0)], src[min(x+1, w-1)]
			dst[x] = uint16(l) + uint16(src[x]) + uint16(r)
		}
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		up, mid, down := rows[max(y-1, 0)*w:][:w], rows[y*w:][:w], rows[min(y+1, h-1)*w:][:w]
		dst := out.Pix[y*out.Stride:][:w]
		for x := range dst {
			dst[x] = byte((uint32(up[x]) + uint32(mid[x]) + uint32(down[x])) * 7282 >> 16) // /9
		}
	}
	return out
}

// sharpen is an unsharp mask (2 x image - blur): it steepens the edges of
// a soft photo so thin modules survive thresholding.
func sharpen(g *image.Gray) *image.Gray {
	b := blur3(g)
	out := image.NewGray(b.Rect)
	for y := 0; y < b.Rect.Dy(); y++ {
		src := g.Pix[y*g.Stride:]
		for x := 0; x < b.Rect.Dx(); x++ {
			v := 2*int(src[x]) - int(b.Pix[y*b.Stride+x])
			out.Pix[y*out.Stride+x] = byte(min(255, max(0, v)))
		}
	}
	return out
}

// resizeBilinear scales g by k > 1 with bilinear interpolation: unlike
// whole-factor upscaling it moves module edges off the pixel grid, which
// gives the detectors a differently sampled look at a marginal symbol.
func resizeBilinear(g *image.Gray, k float64) *image.Gray {
	nw, nh := int(float64(g.Rect.Dx())*k), int(float64(g.Rect.Dy())*k)
	out := image.NewGray(image.Rect(0, 0, nw, nh))
	for y := 0; y < nh; y++ {
		sy := (float64(y)+0.5)/k - 0.5
		for x := 0; x < nw; x++ {
			out.Pix[y*out.Stride+x] = bilinear(g, (float64(x)+0.5)/k-0.5, sy)
		}
	}
	return out
}
