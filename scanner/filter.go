package scanner

import "image"

// blur3 is a 3x3 box blur: it joins the dots of a noisy or over-sharpened
// print so the binarizer sees modules, not speckle.
func blur3(g *image.Gray) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	tmp := make([]int, w*h)
	for y := 0; y < h; y++ {
		row := g.Pix[y*g.Stride:]
		for x := 0; x < w; x++ {
			s, n := int(row[x]), 1
			if x > 0 {
				s, n = s+int(row[x-1]), n+1
			}
			if x < w-1 {
				s, n = s+int(row[x+1]), n+1
			}
			tmp[y*w+x] = s * 6 / n // scaled by 6 to keep precision
		}
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s, n := tmp[y*w+x], 1
			if y > 0 {
				s, n = s+tmp[(y-1)*w+x], n+1
			}
			if y < h-1 {
				s, n = s+tmp[(y+1)*w+x], n+1
			}
			out.Pix[y*out.Stride+x] = byte(s / (6 * n))
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
